package io.listsync.server.faults;

import io.listsync.server.support.Await;
import io.listsync.server.support.ChildServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of idle connections beyond the process's file-descriptor limit cannot take the listener down: the server
 * runs under {@code ulimit -n 400} in a child process, its connection limit stays below that, connections beyond it
 * wait in the kernel's backlog, idle ones are closed after the idle timeout, and a new client is served once the
 * flood is gone. (Without the limit, {@code accept} failed with "Too many open files" and Helidon's accept loop
 * ended for good.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Connection exhaustion under a low file-descriptor limit")
class ConnectionExhaustionTest {

    private static final int DESCRIPTOR_LIMIT = 400;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ChildServer server;

    @BeforeAll
    void start() {
        server = ChildServer.builder("exhaustion")
                .fileDescriptorLimit(DESCRIPTOR_LIMIT)
                .setting("server.idle-connection-timeout", IDLE_TIMEOUT.toString())
                .setting("db.pool-size", "4")
                .build().start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    @DisplayName("flooded with idle connections beyond its descriptor limit, it serves a new client once they are released")
    void survivesFloodBeyondDescriptorLimit() throws Exception {
        List<Socket> flood = flood(DESCRIPTOR_LIMIT + 200);
        try {
            assertThat(server.alive()).isTrue();
            assertThat(server.openFileDescriptors()).as("descriptors in use").isLessThan(DESCRIPTOR_LIMIT);
        } finally {
            closeAll(flood);
        }
        Await.until(this::serves, Duration.ofSeconds(30));
        assertThat(server.log()).doesNotContain("Too many open files").doesNotContain("socket is terminating");
    }

    @Test
    @DisplayName("idle connections are closed after the idle timeout, also those that waited beyond the limit, and new clients are served")
    void idleConnectionsAreClosed() throws Exception {
        List<Socket> flood = flood(300);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (Socket socket : flood) {
                assertThat(closedByServer(socket, deadline)).as("closed by the server").isTrue();
            }
            Await.until(this::serves, Duration.ofSeconds(30));
        } finally {
            closeAll(flood);
        }
    }

    /** Opens {@code count} connections that send nothing; those the kernel cannot queue any more are not counted. */
    private List<Socket> flood(int count) {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 1_000);
                sockets.add(socket);
            } catch (IOException refusedOrQueueFull) {
                closeAll(List.of(socket));
            }
        }
        assertThat(sockets.size()).as("connections opened").isGreaterThan(DESCRIPTOR_LIMIT / 2);
        return sockets;
    }

    private boolean serves() {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/observe/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean closedByServer(Socket socket, long deadlineNanos) throws IOException {
        InputStream in = socket.getInputStream();
        while (true) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
