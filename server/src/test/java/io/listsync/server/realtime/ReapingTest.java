package io.listsync.server.realtime;

import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import io.listsync.server.support.RawWebSocket;
import io.listsync.server.support.RawWebSocket.Frame;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sockets whose connection is gone without a close frame (a phone losing signal, a killed client) leave the open
 * sockets, the fan-out and memory: at once when the TCP connection ends, after the missed pings and the close
 * timeout when the peer just goes silent.
 */
class ReapingTest {

    private static final int DROPPED = 300;
    private static final int KILLED = 200;

    private static TestServer start(TestDatabases.TestDatabase db, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(db.settings());
        // many sockets of one user from one address, on purpose
        settings.put("realtime.max-sockets-per-user", "0");
        settings.put("realtime.max-sockets-per-address", "0");
        settings.putAll(extra);
        return TestServer.start(settings);
    }

    @Test
    @DisplayName("300 sockets whose TCP connection ends without a close frame (FIN or RST) leave the gauge, the fan-out and memory well within a ping interval")
    void droppedConnections() {
        // the default 30 s ping interval: the keepalive plays no part in what follows
        try (var db = TestDatabases.h2(); TestServer server = start(db, Map.of())) {
            Api api = server.api();
            User owner = api.register();
            String listId = api.createList(owner, "Flaky signal");
            Realtime hub = server.app().hub();
            try (WsClient watcher = WsClient.connect(server, listId, "token=" + owner.token())) {
                assertThat(watcher.next().get("type").asText()).isEqualTo("hello");
                Await.until(() -> hub.openSockets() == 1, Duration.ofSeconds(10));
                Set<ListSocket> before = identitySet(hub.openSocketList());

                List<RawWebSocket> dropped = new ArrayList<>();
                for (int i = 0; i < DROPPED; i++) {
                    RawWebSocket ws = RawWebSocket.open(server.port(), listId, "token=" + owner.token());
                    assertThat(ws.nextMessage().text()).contains("\"hello\"");
                    dropped.add(ws);
                }
                Await.until(() -> hub.openSockets() == DROPPED + 1, Duration.ofSeconds(20));
                List<WeakReference<ListSocket>> gone = weakRefsToAllBut(hub.openSocketList(), before);
                assertThat(gone).hasSize(DROPPED);

                long start = System.nanoTime();
                for (int i = 0; i < dropped.size(); i++) {
                    dropped.get(i).drop(i % 2 == 0); // half reset, half closed
                }
                Await.until(() -> hub.openSockets() == 1, Duration.ofSeconds(20));
                Duration reaped = Duration.ofNanos(System.nanoTime() - start);
                assertThat(reaped).isLessThan(hub.settings().pingInterval());

                assertFanOutReachesOnly(api, owner, listId, watcher, 1);
                assertCollected(gone);
                assertThat(watcher.isClosed()).isFalse();
            }
        }
    }

    @Test
    @DisplayName("a client process killed with SIGKILL while holding 200 sockets leaves nothing behind")
    void killedClient() throws Exception {
        try (var db = TestDatabases.h2(); TestServer server = start(db, Map.of())) {
            Api api = server.api();
            User owner = api.register();
            String listId = api.createList(owner, "Killed");
            Realtime hub = server.app().hub();
            try (WsClient watcher = WsClient.connect(server, listId, "token=" + owner.token())) {
                assertThat(watcher.next().get("type").asText()).isEqualTo("hello");
                Await.until(() -> hub.openSockets() == 1, Duration.ofSeconds(10));
                Set<ListSocket> before = identitySet(hub.openSocketList());

                // bash opens the sockets itself (/dev/tcp), sends the upgrade on each, and never reads
                String request = RawWebSocket.upgradeRequest(server.port(), listId, "token=" + owner.token(),
                        "dGhlIHNhbXBsZSBub25jZQ==").replace("\r\n", "\\r\\n");
                String script = "for i in $(seq 1 " + KILLED + "); do exec {fd}<>/dev/tcp/127.0.0.1/" + server.port()
                        + " || exit 1; printf '" + request + "' >&$fd; done; echo ready; exec sleep 600";
                Process client = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
                try {
                    BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                            StandardCharsets.UTF_8));
                    assertThat(out.readLine()).isEqualTo("ready");
                    Await.until(() -> hub.openSockets() == KILLED + 1, Duration.ofSeconds(30));
                    List<WeakReference<ListSocket>> gone = weakRefsToAllBut(hub.openSocketList(), before);
                    assertThat(gone).hasSize(KILLED);

                    client.destroyForcibly(); // SIGKILL
                    assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    Await.until(() -> hub.openSockets() == 1, Duration.ofSeconds(20));

                    assertFanOutReachesOnly(api, owner, listId, watcher, 1);
                    assertCollected(gone);
                } finally {
                    client.destroyForcibly();
                }
            }
        }
    }

    @Test
    @DisplayName("a peer that stays connected but goes silent gets 4408 after two pings, and its connection is dropped after the close timeout")
    void silentPeer() {
        try (var db = TestDatabases.h2();
             TestServer server = start(db, Map.of("realtime.ping-interval", "PT0.4S",
                     "realtime.close-timeout", "PT1S"))) {
            Api api = server.api();
            User owner = api.register();
            String listId = api.createList(owner, "Silent");
            Realtime hub = server.app().hub();
            try (RawWebSocket silent = RawWebSocket.open(server.port(), listId, "token=" + owner.token())) {
                assertThat(silent.nextMessage().text()).contains("\"hello\"");
                Await.until(() -> hub.openSockets() == 1, Duration.ofSeconds(10));
                List<WeakReference<ListSocket>> gone = weakRefsToAllBut(hub.openSocketList(), Set.of());

                // it reads (the frames arrive) but never answers a ping nor the close
                Frame close = silent.awaitClose(Duration.ofSeconds(10));
                assertThat(close).isNotNull();
                assertThat(close.closeCode()).isEqualTo(4408);
                long closedAt = System.nanoTime();
                assertThat(silent.awaitEnd(Duration.ofSeconds(10))).as("the server drops the connection").isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isGreaterThan(Duration.ofMillis(500));
                Await.until(() -> hub.openSockets() == 0, Duration.ofSeconds(10));
                assertCollected(gone);
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** A new event is handed to exactly {@code sockets} sockets (the frames-delivered counter), and arrives. */
    private static void assertFanOutReachesOnly(Api api, User owner, String listId, WsClient watcher, int sockets) {
        double before = metric(api, "listsync_frames_delivered_total");
        assertThat(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                json(Map.of("name", "after the drops"))).status()).isEqualTo(201);
        assertThat(watcher.nextEvent().get("type").asText()).isEqualTo("item_created");
        Await.until(() -> metric(api, "listsync_frames_delivered_total") > before, Duration.ofSeconds(10));
        assertThat(metric(api, "listsync_frames_delivered_total") - before).isEqualTo(sockets);
    }

    /** Every one of these sockets becomes unreachable: nothing (channel, hub, timer, connection) holds it. */
    private static void assertCollected(List<WeakReference<ListSocket>> sockets) {
        Await.collected(sockets, Duration.ofSeconds(30));
    }

    private static List<WeakReference<ListSocket>> weakRefsToAllBut(List<ListSocket> sockets, Set<ListSocket> but) {
        List<WeakReference<ListSocket>> refs = new ArrayList<>();
        for (ListSocket socket : sockets) {
            if (!but.contains(socket)) {
                refs.add(new WeakReference<>(socket));
            }
        }
        return refs;
    }

    private static Set<ListSocket> identitySet(List<ListSocket> sockets) {
        Set<ListSocket> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(sockets);
        return set;
    }

    private static double metric(Api api, String name) {
        for (String line : api.get("/observe/metrics", null).text().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }
}
