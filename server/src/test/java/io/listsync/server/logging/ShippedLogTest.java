package io.listsync.server.logging;

import io.listsync.server.support.Await;
import io.listsync.server.support.ChildServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server process with the logging configuration it ships with ({@code logging.properties}): its lines reach
 * standard output through {@link ConsoleLog}. Were the handler not found, JUL would drop every line without a word.
 */
class ShippedLogTest {

    private static final Pattern ACCESS_LINE = Pattern.compile(
            "(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO"
            + " io\\.listsync\\.access method=GET path=/api/v1/lists status=401 ms=\\d+$");

    @Test
    @DisplayName("a server started with the shipped configuration logs start-up and each request on standard output")
    void logsToStandardOutput() {
        try (ChildServer server = ChildServer.builder("shipped-log").shippedLogging().build().start()) {
            assertThat(server.api().get("/api/v1/lists", null).status()).isEqualTo(401);
            Await.until(() -> ACCESS_LINE.matcher(server.log()).find(), Duration.ofSeconds(10));
            assertThat(server.log())
                    .containsPattern("(?m)^\\S+Z INFO io\\.listsync\\.server\\.Main ListSync is up on ");
        }
    }
}
