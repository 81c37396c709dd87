package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.auth.AccessTokens;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import io.listsync.server.support.Writers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.LongStream;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The WebSocket endpoint on one instance with the in-memory broker, over real sockets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeEndpointTest {

    private TestDatabases.TestDatabase database;
    private TestServer server;
    private Api api;

    @BeforeAll
    void start() {
        database = TestDatabases.h2();
        server = TestServer.start(settings(Map.of()));
        api = server.api();
    }

    @AfterAll
    void stop() {
        server.close();
        database.close();
    }

    private Map<String, String> settings(Map<String, String> extra) {
        var all = new java.util.HashMap<>(database.settings());
        all.put("realtime.allowed-origins", "https://lists.example.com");
        all.putAll(extra);
        return all;
    }

    @Test
    @DisplayName("the first message is hello with the list's current version")
    void hello() {
        User owner = api.register();
        String listId = api.createList(owner, "Hello");
        api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "Milk")));
        try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token())) {
            JsonNode hello = ws.next();
            assertThat(hello.get("type").asText()).isEqualTo("hello");
            assertThat(hello.get("listId").asText()).isEqualTo(listId);
            assertThat(hello.get("version").asLong()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("every event type reaches every socket of the list with type, version, data, actorId and ts; none leaks to another list")
    void everyEventType() {
        User owner = api.register();
        User editor = api.register();
        String listId = api.createList(owner, "Events");
        String otherList = api.createList(owner, "Other");
        share(owner, listId, editor, "editor");
        String base = "/api/v1/lists/" + listId;

        try (WsClient a = WsClient.connect(server, listId, "token=" + owner.token());
             WsClient b = WsClient.connect(server, listId, "token=" + editor.token());
             WsClient other = WsClient.connect(server, otherList, "token=" + owner.token())) {
            for (WsClient ws : List.of(a, b, other)) {
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
            }

            JsonNode category = api.post(base + "/categories", editor.token(), json(Map.of("name", "Dairy"))).json();
            JsonNode item = api.post(base + "/items", owner.token(),
                    json(Map.of("name", "Milk", "categoryId", category.get("id").asText()))).json();
            String itemId = item.get("id").asText();
            JsonNode updated = api.patch(base + "/items/" + itemId, owner.token(), json(Map.of("quantity", "2 l")))
                    .json();
            JsonNode checked = api.post(base + "/items/" + itemId + "/check", owner.token(), null).json();
            JsonNode unchecked = api.post(base + "/items/" + itemId + "/uncheck", owner.token(), null).json();
            String second = api.post(base + "/items", owner.token(), json(Map.of("name", "Bread"))).json()
                    .get("id").asText();
            api.post(base + "/items/" + second + "/check", owner.token(), null);
            api.post(base + "/items/bulk-delete", owner.token(), json(Map.of("checked", true)));
            JsonNode renamedCategory = api.patch(base + "/categories/" + category.get("id").asText(), owner.token(),
                    json(Map.of("name", "Milk things"))).json();
            api.delete(base + "/categories/" + category.get("id").asText(), owner.token());
            api.delete(base + "/items/" + itemId, owner.token());
            JsonNode renamedList = api.patch(base, owner.token(), json(Map.of("name", "Renamed"))).json();

            for (WsClient ws : List.of(a, b)) {
                expect(ws, "category_created", 1, category, editor.id());
                expect(ws, "item_created", 2, item, owner.id());
                expect(ws, "item_updated", 3, updated, owner.id());
                expect(ws, "item_checked", 4, checked, owner.id());
                expect(ws, "item_unchecked", 5, unchecked, owner.id());
                assertThat(ws.nextEvent().get("type").asText()).isEqualTo("item_created");
                assertThat(ws.nextEvent().get("type").asText()).isEqualTo("item_checked");
                JsonNode bulk = expect(ws, "items_bulk_deleted", 8, null, owner.id());
                assertThat(bulk.at("/data/itemIds")).extracting(JsonNode::asText).containsExactly(second);
                expect(ws, "category_updated", 9, renamedCategory, owner.id());
                JsonNode deletedCategory = expect(ws, "category_deleted", 10, null, owner.id());
                assertThat(deletedCategory.get("data").toString())
                        .isEqualTo("{\"id\":\"" + category.get("id").asText() + "\"}");
                JsonNode deletedItem = expect(ws, "item_deleted", 11, null, owner.id());
                assertThat(deletedItem.get("data").toString()).isEqualTo("{\"id\":\"" + itemId + "\"}");
                JsonNode listUpdated = expect(ws, "list_updated", 12, null, owner.id());
                assertThat(listUpdated.at("/data/name").asText()).isEqualTo("Renamed");
                assertThat(listUpdated.at("/data/version").asLong()).isEqualTo(renamedList.get("version").asLong());
            }
            // a change to the other list reaches only its socket, and nothing of the first list did
            api.post("/api/v1/lists/" + otherList + "/items", owner.token(), json(Map.of("name", "Elsewhere")));
            JsonNode elsewhere = other.nextEvent();
            assertThat(elsewhere.get("listId").asText()).isEqualTo(otherList);
            assertThat(elsewhere.get("version").asLong()).isEqualTo(1);
            assertThat(a.poll(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    @DisplayName("100 concurrent writers: every socket receives every version exactly once, in order")
    void concurrentWriters() {
        User owner = api.register();
        String listId = api.createList(owner, "Busy");
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                WsClient ws = WsClient.connect(server, listId, "token=" + owner.token());
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
                clients.add(ws);
            }
            int writers = 100;
            Writers.createItemsConcurrently(List.of(api), owner, listId, writers);
            for (WsClient ws : clients) {
                assertThat(ws.nextVersions(writers)).isEqualTo(LongStream.rangeClosed(1, writers).boxed().toList());
                assertThat(ws.poll(Duration.ofMillis(200))).isNull();
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    @DisplayName("missing, tampered and expired tokens are closed with 4401; non-members and unknown lists with 4404")
    void refusedSockets() {
        User owner = api.register();
        User stranger = api.register();
        String listId = api.createList(owner, "Closed");
        assertClosed(WsClient.connect(server, listId, ""), 4401);
        assertClosed(WsClient.connect(server, listId, "token=garbage"), 4401);
        String[] parts = owner.token().split("\\.");
        assertClosed(WsClient.connect(server, listId, "token=" + parts[0] + "." + parts[1] + ".AAAA"), 4401);
        var expired = new AccessTokens(TestServer.SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1),
                Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC)).issue(owner.id()).token();
        assertClosed(WsClient.connect(server, listId, "token=" + expired), 4401);
        assertClosed(WsClient.connect(server, listId, "token=" + stranger.token()), 4404);
        assertClosed(WsClient.connect(server, "no-such-list", "token=" + owner.token()), 4404);
    }

    @Test
    @DisplayName("a removed member's socket is closed with 4403, and a deleted list's sockets with 4404, within a second")
    void accessEnds() {
        User owner = api.register();
        User friend = api.register();
        String listId = api.createList(owner, "Shared");
        share(owner, listId, friend, "editor");
        try (WsClient ownerWs = WsClient.connect(server, listId, "token=" + owner.token());
             WsClient friendWs = WsClient.connect(server, listId, "token=" + friend.token())) {
            ownerWs.next();
            friendWs.next();
            long start = System.nanoTime();
            assertThat(api.delete("/api/v1/lists/" + listId + "/members/" + friend.id(), owner.token()).status())
                    .isEqualTo(204);
            assertThat(friendWs.awaitClose()).isEqualTo(4403);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(ownerWs.isClosed()).isFalse();

            start = System.nanoTime();
            assertThat(api.delete("/api/v1/lists/" + listId, owner.token()).status()).isEqualTo(204);
            assertThat(ownerWs.awaitClose()).isEqualTo(4404);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    @DisplayName("a client ping is answered with pong; bad frames close only their own socket (1003, 1009)")
    void framesFromClients() {
        User owner = api.register();
        String listId = api.createList(owner, "Frames");
        try (WsClient good = WsClient.connect(server, listId, "token=" + owner.token());
             WsClient notJson = WsClient.connect(server, listId, "token=" + owner.token());
             WsClient unknown = WsClient.connect(server, listId, "token=" + owner.token());
             WsClient huge = WsClient.connect(server, listId, "token=" + owner.token())) {
            for (WsClient ws : List.of(good, notJson, unknown, huge)) {
                ws.next();
            }
            good.send("{\"type\":\"ping\"}");
            assertThat(good.next().get("type").asText()).isEqualTo("pong");

            notJson.send("this is not json");
            assertThat(notJson.awaitClose()).isEqualTo(1003);
            unknown.send("{\"type\":\"subscribe\"}");
            assertThat(unknown.awaitClose()).isEqualTo(1003);
            huge.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(100_000) + "\"}");
            assertThat(huge.awaitClose()).isEqualTo(1009);

            api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "still here")));
            assertThat(good.nextEvent().get("type").asText()).isEqualTo("item_created");
        }
    }

    @Test
    @DisplayName("browsers from a foreign origin are refused with HTTP 403; allowed origins and clients without Origin connect")
    void origins() {
        User owner = api.register();
        String listId = api.createList(owner, "Origins");
        try (WsClient allowed = WsClient.connect(server.port(), listId, "token=" + owner.token(),
                "https://lists.example.com", true)) {
            assertThat(allowed.next().get("type").asText()).isEqualTo("hello");
        }
        assertThatThrownBy(() -> WsClient.connect(server.port(), listId, "token=" + owner.token(),
                "https://evil.example.net", true))
                .hasRootCauseMessage("Unexpected HTTP response status code 403");
        try (WsClient nonBrowser = WsClient.connect(server, listId, "token=" + owner.token())) {
            assertThat(nonBrowser.next().get("type").asText()).isEqualTo("hello");
        }
    }

    @Test
    @DisplayName("?since replays what was missed after hello; a since above the current version or not a number gets resync")
    void since() {
        User owner = api.register();
        String listId = api.createList(owner, "Resume");
        for (int i = 0; i < 5; i++) {
            api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "i" + i)));
        }
        try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token() + "&since=2")) {
            assertThat(ws.next().get("version").asLong()).isEqualTo(5);
            for (long v = 3; v <= 5; v++) {
                JsonNode event = ws.nextEvent();
                assertThat(event.get("type").asText()).isEqualTo("item_created");
                assertThat(event.get("version").asLong()).isEqualTo(v);
            }
            api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "live")));
            assertThat(ws.nextEvent().get("version").asLong()).isEqualTo(6);
        }
        for (String since : List.of("99", "abc", "-4")) {
            try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token() + "&since=" + since)) {
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
                JsonNode resync = ws.nextEvent();
                assertThat(resync.get("type").asText()).isEqualTo("resync");
                assertThat(resync.get("version").asLong()).isEqualTo(6);
            }
        }
    }

    @Test
    @DisplayName("the access log never shows the token of a WebSocket URL")
    void tokensAreNotLogged() {
        User owner = api.register();
        String listId = api.createList(owner, "Secret");
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        Logger access = Logger.getLogger("io.listsync.access");
        java.util.logging.Level before = access.getLevel();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        access.setLevel(java.util.logging.Level.INFO);
        access.addHandler(handler);
        try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token())) {
            ws.next();
            api.get("/api/v1/lists/" + listId + "/items?includeChecked=false", owner.token());
        } finally {
            access.removeHandler(handler);
            access.setLevel(before);
        }
        assertThat(lines).isNotEmpty();
        assertThat(lines).noneMatch(line -> line.contains(owner.token()));
        assertThat(String.join("\n", lines)).contains("token=***");
    }

    @Test
    @DisplayName("metrics report open sockets, subscribed lists, published and delivered events, closes and latency")
    void metrics() {
        User owner = api.register();
        String listId = api.createList(owner, "Measured");
        try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token())) {
            ws.next();
            api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "Milk")));
            ws.nextEvent();
            Api.Response metrics = api.get("/observe/metrics", null);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.text()).contains("listsync_sockets_open", "listsync_lists_subscribed",
                    "listsync_events_published_total", "listsync_events_received_total",
                    "listsync_frames_delivered_total", "listsync_delivery_latency_seconds");
        }
        assertClosed(WsClient.connect(server, listId, "token=bad"), 4401);
        assertThat(api.get("/observe/metrics", null).text()).containsPattern("listsync_sockets_closed_total\\{.*code=\"4401\"");
    }

    @Test
    @DisplayName("every close code's counter is there from the start, before any socket closed with it")
    void closeCountersFromTheStart() {
        // registered up front, not on the first close: creating a meter while the server stops deadlocked Helidon
        String metrics = api.get("/observe/metrics", null).text();
        for (int code : CloseCodes.ALL) {
            assertThat(metrics).containsPattern("listsync_sockets_closed_total\\{.*code=\"" + code + "\"");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private JsonNode expect(WsClient ws, String type, long version, JsonNode data, String actorId) {
        JsonNode event = ws.nextEvent();
        assertThat(event.get("type").asText()).as(event.toString()).isEqualTo(type);
        assertThat(event.get("version").asLong()).as(event.toString()).isEqualTo(version);
        assertThat(event.get("listId").asText()).isNotEmpty();
        assertThat(event.get("actorId").asText()).isEqualTo(actorId);
        assertThat(event.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        if (data != null) {
            assertThat(event.get("data")).isEqualTo(data);
        }
        return event;
    }

    private static void assertClosed(WsClient ws, int code) {
        try (ws) {
            assertThat(ws.awaitClose()).isEqualTo(code);
            assertThat(ws.closeReason()).isNotEmpty();
        }
    }

    private void share(User owner, String listId, User member, String role) {
        assertThat(api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", member.email(), "role", role))).status()).isEqualTo(201);
    }
}
