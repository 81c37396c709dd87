package io.listsync.server.warmup;

import io.helidon.config.Config;
import io.listsync.server.config.Settings;
import io.listsync.server.support.Await;
import io.listsync.server.support.ChildServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connection warm-up runs real connections through a private server with the listener's settings, and leaves
 * nothing behind: its port is closed and the real server's log and access log hold no trace of its requests.
 */
class ConnectionWarmUpTest {

    private static final Config SHIPPED_SERVER = Settings.load(Map.of(), Map.of()).get("server");

    @Test
    @DisplayName("every warm-up connection completes its request, upgrade, echo and close; then its port is closed")
    void connectionsCompleteAndThePrivateServerStops() {
        ConnectionWarmUp.Report report = ConnectionWarmUp.run(SHIPPED_SERVER, 300);

        assertThat(report.completed()).isEqualTo(300);
        assertThat(report.failed()).isZero();
        assertThat(report.port()).isPositive().isNotEqualTo(8080); // its own loopback port, not the configured one
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), report.port()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    @DisplayName("server.warm-up-connections = 0 starts no private server")
    void zeroTurnsItOff() {
        ConnectionWarmUp.Report report = ConnectionWarmUp.run(
                Settings.load(Map.of(), Map.of("server.warm-up-connections", "0")).get("server"));

        assertThat(report).isEqualTo(new ConnectionWarmUp.Report(-1, 0, 0, Duration.ZERO));
    }

    @Test
    @DisplayName("the server process as shipped warms up with 2,000 connections before its listener opens, unlogged")
    void theShippedServerWarmsUpBeforeItListens() {
        try (ChildServer server = ChildServer.builder("warm-up").shippedLogging().build().start()) {
            assertThat(server.api().get("/api/v1/lists", null).status()).isEqualTo(401);
            String boundLine = ":" + server.port() + " bound for socket";
            // the log reaches standard output in batches (ConsoleLog): wait for the listener's line
            Await.until(() -> server.log().contains(boundLine), Duration.ofSeconds(10));
            String log = server.log();
            int warmed = log.indexOf("Warmed the connection path: 2000 of 2000 connections");
            int bound = log.indexOf(boundLine);
            assertThat(warmed).as("the warm-up's line, in:\n%s", log).isNotNegative();
            assertThat(bound).as("the listener opens after the warm-up, in:\n%s", log).isGreaterThan(warmed);
            assertThat(log).doesNotContain("path=/warm-up");
        }
    }
}
