package io.listsync.server.realtime;

import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import io.listsync.server.support.Await;
import io.listsync.server.support.RawWebSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading must not delay anyone else, and must not make the server hold unbounded memory.
 */
class SlowConsumerTest {

    @Test
    @DisplayName("a client that stops reading delays nobody: the others get every event, and the stuck socket is dropped, its blocked write released")
    void stalledClient() throws Exception {
        try (var db = TestDatabases.h2()) {
            Map<String, String> settings = new HashMap<>(db.settings());
            settings.put("realtime.max-backlog", "20");
            // a small, fixed send buffer (no autotuning up to 4 MiB) so that a stalled reader blocks writes soon
            settings.put("server.connection-options.socket-send-buffer-size", "16384");
            settings.put("realtime.close-timeout", "PT1S");
            try (TestServer server = TestServer.start(settings)) {
                Api api = server.api();
                User owner = api.register();
                String listId = api.createList(owner, "Slow");
                try (StalledClient stalled = StalledClient.open(server.port(), listId, owner.token())) {
                    Await.until(() -> server.app().hub().openSockets() == 1, Duration.ofSeconds(10));
                    java.lang.ref.WeakReference<ListSocket> stuck =
                            new java.lang.ref.WeakReference<>(server.app().hub().openSocketList().getFirst());
                    try (WsClient fast = WsClient.connect(server, listId, "token=" + owner.token())) {
                        fast.next();
                        Await.until(() -> server.app().hub().openSockets() == 2, Duration.ofSeconds(10));
                        String note = "n".repeat(2000);
                        List<Long> received = new ArrayList<>();
                        for (int i = 1; i <= 150; i++) {
                            assertThat(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                                    json(Map.of("name", "item " + i, "note", note))).status()).isEqualTo(201);
                            received.add(fast.nextEvent().get("version").asLong());
                        }
                        assertThat(received).hasSize(150).isSorted().doesNotHaveDuplicates();
                        // the stalled client never reads: after the close timeout its connection is dropped, which
                        // fails the write blocked on it, and nothing holds the socket any more
                        Await.until(() -> server.app().hub().openSockets() == 1, Duration.ofSeconds(10));
                        Await.until(() -> {
                            System.gc();
                            return stuck.get() == null;
                        }, Duration.ofSeconds(30));
                        assertThat(fast.isClosed()).isFalse();
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("a client too slow to keep up even after a resync is closed with 4429 (not 1000), as it sees once it reads again")
    void tooSlowGetsItsCloseCode() {
        try (var db = TestDatabases.h2()) {
            Map<String, String> settings = new HashMap<>(db.settings());
            settings.put("realtime.max-backlog", "20");
            settings.put("server.connection-options.socket-send-buffer-size", "16384");
            settings.put("realtime.close-timeout", "PT60S"); // time for the client to come back and read
            try (TestServer server = TestServer.start(settings)) {
                Api api = server.api();
                User owner = api.register();
                String listId = api.createList(owner, "Too slow");
                try (RawWebSocket slow = RawWebSocket.open(server.port(), listId, "token=" + owner.token(), 4096)) {
                    Await.until(() -> server.app().hub().openSockets() == 1, Duration.ofSeconds(10));
                    double before = closedWith(api, 4429);
                    String note = "n".repeat(2000);
                    for (int i = 1; closedWith(api, 4429) == before; i++) {
                        assertThat(i).as("events before the server gives up").isLessThan(1000);
                        assertThat(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                                json(Map.of("name", "item " + i, "note", note))).status()).isEqualTo(201);
                    }
                    // the client reads again: what was in flight, then the close, with the documented code
                    RawWebSocket.Frame close = slow.awaitClose(Duration.ofSeconds(30));
                    assertThat(close).as("a close frame").isNotNull();
                    assertThat(close.closeCode()).isEqualTo(4429);
                    assertThat(close.closeReason()).contains("since");
                    slow.sendClose(4429, "");
                    assertThat(slow.awaitEnd(Duration.ofSeconds(10))).isTrue();
                    Await.until(() -> server.app().hub().openSockets() == 0, Duration.ofSeconds(10));
                }
            }
        }
    }

    private static double closedWith(Api api, int code) {
        String prefix = "listsync_sockets_closed_total{";
        for (String line : api.get("/observe/metrics", null).text().split("\n")) {
            if (line.startsWith(prefix) && line.contains("code=\"" + code + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** Completes the WebSocket handshake with a tiny receive buffer, then never reads again. */
    private static final class StalledClient implements AutoCloseable {
        private final Socket socket;

        private StalledClient(Socket socket) {
            this.socket = socket;
        }

        static StalledClient open(int port, String listId, String token) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/ws/lists/" + listId + "?token=" + token + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed during handshake: " + head);
                }
                head.append((char) b);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            return new StalledClient(socket);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
