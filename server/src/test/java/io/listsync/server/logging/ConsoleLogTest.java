package io.listsync.server.logging;

import io.listsync.server.support.Await;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator reading the server's standard output relies on: one line per record in UTC, in order, and
 * nothing that leads up to a failure held back.
 */
@DisplayName("The console log")
class ConsoleLogTest {

    private static final Duration NEVER = Duration.ofHours(1);

    private static LogRecord record(Level level, String logger, String message, Instant at) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger);
        record.setInstant(at);
        return record;
    }

    private static String text(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a line is the UTC time to the millisecond, the level, the logger and the message")
    void lineLayout() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleLog log = new ConsoleLog(out, NEVER);
        log.publish(record(Level.INFO, "io.listsync.access", "method=POST status=201",
                Instant.parse("2026-12-07T14:50:00.007Z")));
        log.publish(record(Level.INFO, "io.listsync.access", "method=GET status=200",
                Instant.parse("2026-12-07T14:50:42.123Z")));
        LogRecord withParam = record(Level.INFO, "io.listsync.server.ListSync", "Broker: {0}",
                Instant.parse("2026-12-31T23:59:59.999Z"));
        withParam.setParameters(new Object[]{"redis"});
        log.publish(withParam);
        log.close();
        assertThat(text(out).lines()).containsExactly(
                "2026-12-07T14:50:00.007Z INFO io.listsync.access method=POST status=201",
                "2026-12-07T14:50:42.123Z INFO io.listsync.access method=GET status=200",
                "2026-12-31T23:59:59.999Z INFO io.listsync.server.ListSync Broker: redis");
    }

    @Test
    @DisplayName("info lines are written in batches; a warning is written at once, after every line before it")
    void warningsAreNotHeldBack() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleLog log = new ConsoleLog(out, NEVER);
        Instant now = Instant.now();
        log.publish(record(Level.INFO, "io.listsync.access", "first", now));
        log.publish(record(Level.INFO, "io.listsync.access", "second", now));
        assertThat(text(out)).isEmpty();

        LogRecord failure = record(Level.WARNING, "io.listsync.server.db", "Relay pass failed", now);
        failure.setThrown(new IllegalStateException("connection refused"));
        log.publish(failure);
        java.util.List<String> lines = text(out).lines().toList();
        assertThat(lines.subList(0, 3).stream().map(line -> line.substring("2026-12-07T14:50:00.007Z ".length())))
                .containsExactly("INFO io.listsync.access first", "INFO io.listsync.access second",
                        "WARNING io.listsync.server.db Relay pass failed");
        assertThat(lines.get(3)).isEqualTo("java.lang.IllegalStateException: connection refused");
        assertThat(lines.get(4)).startsWith("\tat io.listsync.server.logging.ConsoleLogTest");
        log.close();
    }

    @Test
    @DisplayName("held lines reach the output within the flush interval, in order")
    void batchesAreFlushed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleLog log = new ConsoleLog(out, Duration.ofMillis(ConsoleLog.FLUSH_MILLIS));
        try {
            // few enough that only the timer writes them (a large backlog is written at once)
            for (int i = 0; i < 100; i++) {
                log.publish(record(Level.INFO, "io.listsync.access", "request " + i, Instant.now()));
            }
            Await.until(() -> text(out).lines().count() == 100, Duration.ofSeconds(5));
            assertThat(text(out).lines().map(line -> line.substring(line.indexOf("request"))))
                    .containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 100).mapToObj(i -> "request " + i).toList());
        } finally {
            log.close();
        }
    }
}
