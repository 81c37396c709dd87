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

import java.util.ArrayList;
import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
                try (RawWebSocket stalled = RawWebSocket.open(server.port(), listId, "token=" + owner.token(), 4096)) {
                    Await.until(() -> server.app().hub().openSockets() == 1, Duration.ofSeconds(10));
                    java.lang.ref.WeakReference<ListSocket> stuck =
                            new java.lang.ref.WeakReference<>(server.app().hub().openSocketList().getFirst());
                    try (WsClient fast = WsClient.connect(server, listId, "token=" + owner.token())) {
                        fast.next();
                        Await.until(() -> server.app().hub().openSockets() == 2, Duration.ofSeconds(10));
                        String note = "n".repeat(2000);
                        // the stalled client never reads: its backlog becomes a resync, and once that has waited
                        // unwritten (SocketOutbox.STUCK_AFTER) while events keep coming, it is stuck; after the close
                        // timeout its connection is dropped, which fails the write blocked on it. Meanwhile the fast
                        // client gets every event, in order, at once.
                        List<Long> received = new ArrayList<>();
                        int writes = 0;
                        while (server.app().hub().openSockets() == 2) {
                            assertThat(writes).as("writes before the stalled socket is dropped").isLessThan(2000);
                            writes++;
                            assertThat(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                                    json(Map.of("name", "item " + writes, "note", note))).status()).isEqualTo(201);
                            received.add(fast.nextEvent().get("version").asLong());
                        }
                        assertThat(received).hasSize(writes).isSorted().doesNotHaveDuplicates();
                        assertThat(server.app().hub().openSockets()).isEqualTo(1);
                        Await.collected(List.of(stuck), Duration.ofSeconds(30));
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
}
