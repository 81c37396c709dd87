package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.Teardown;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's own socket, {@code /api/v1/ws/me} (contract 1.1), on two instances with Redis brokers and one PostgreSQL
 * database: the overview frames reach every socket of the user on every instance within a second of the REST answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserSocketTest {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    private TestDatabases.TestDatabase database;
    private TestServer a;
    private TestServer b;

    @BeforeAll
    void start() {
        database = TestDatabases.postgres();
        Map<String, String> settings = new HashMap<>(database.settings());
        settings.put("broker.type", "redis");
        settings.put("broker.redis.channel-prefix", "test-" + UUID.randomUUID() + ":");
        settings.put("broker.redis.uri", TestServer.localRedisUri());
        a = TestServer.start(settings);
        b = TestServer.start(settings);
    }

    @AfterAll
    void stop() {
        Teardown.closeAll(a, b, database);
    }

    @Test
    @DisplayName("hello names the user; a token that is missing or wrong closes with 4401")
    void hello() {
        User ann = a.api().register();
        try (WsClient me = WsClient.connectMe(a.port(), ann.token())) {
            JsonNode hello = me.next();
            assertThat(hello.get("type").asText()).isEqualTo("hello");
            assertThat(hello.get("userId").asText()).isEqualTo(ann.id());
        }
        try (WsClient bad = WsClient.connectMe(a.port(), "not-a-token")) {
            assertThat(bad.awaitClose()).isEqualTo(4401);
        }
    }

    @Test
    @DisplayName("a user with tabs on both instances: a list shared, renamed, re-roled, left and deleted reaches every tab within 1 s")
    void severalTabsOnBothInstances() {
        User owner = a.api().register();
        User ben = a.api().register();
        String listId = a.api().createList(owner, "Groceries");
        try (WsClient tab1 = WsClient.connectMe(a.port(), ben.token());
             WsClient tab2 = WsClient.connectMe(a.port(), ben.token());
             WsClient tab3 = WsClient.connectMe(b.port(), ben.token())) {
            List<WsClient> tabs = List.of(tab1, tab2, tab3);
            tabs.forEach(t -> assertThat(t.next().get("type").asText()).isEqualTo("hello"));

            // shared with Ben through instance B
            long answered = timed(() -> assertThat(b.api().post("/api/v1/lists/" + listId + "/members", owner.token(),
                    json(Map.of("email", ben.email(), "role", "viewer"))).status()).isEqualTo(201));
            for (WsClient tab : tabs) {
                JsonNode added = nextOfType(tab, "list_added");
                assertWithin(tab, added, answered);
                assertThat(added.at("/data/id").asText()).isEqualTo(listId);
                assertThat(added.at("/data/name").asText()).isEqualTo("Groceries");
                assertThat(added.at("/data/role").asText()).isEqualTo("viewer");
                assertThat(added.at("/data/itemCount").asLong()).isZero();
                assertThat(added.at("/data/checkedCount").asLong()).isZero();
            }

            // renamed through A
            answered = timed(() -> assertThat(a.api().patch("/api/v1/lists/" + listId, owner.token(),
                    json(Map.of("name", "Weekend"))).status()).isEqualTo(200));
            for (WsClient tab : tabs) {
                JsonNode changed = nextOfType(tab, "list_changed");
                assertWithin(tab, changed, answered);
                assertThat(changed.at("/data/name").asText()).isEqualTo("Weekend");
                assertThat(changed.at("/data/role").asText()).isEqualTo("viewer");
                assertThat(changed.at("/data/version").asLong()).isEqualTo(1);
            }

            // Ben becomes an editor: his overview shows his new role (after the one-second window of the rename)
            answered = timed(() -> assertThat(b.api().patch("/api/v1/lists/" + listId + "/members/" + ben.id(),
                    owner.token(), json(Map.of("role", "editor"))).status()).isEqualTo(200));
            for (WsClient tab : tabs) {
                JsonNode changed = nextOfType(tab, "list_changed");
                assertThat(changed.at("/data/role").asText()).isEqualTo("editor");
                assertThat(Duration.ofNanos(tab.receivedAt(changed) - answered)).isLessThan(Duration.ofSeconds(2));
            }

            // Ben leaves through B
            answered = timed(() -> assertThat(b.api().delete("/api/v1/lists/" + listId + "/members/" + ben.id(),
                    ben.token()).status()).isEqualTo(204));
            for (WsClient tab : tabs) {
                JsonNode removed = nextOfType(tab, "list_removed");
                assertWithin(tab, removed, answered);
                assertThat(removed.get("data")).isEqualTo(new ObjectMapper().createObjectNode().put("id", listId));
            }
        }
    }

    @Test
    @DisplayName("the owner's overview sees its own new list, an invite accepted elsewhere and the list deleted")
    void createInviteDelete() {
        User owner = a.api().register();
        User cleo = a.api().register();
        try (WsClient ownerTab = WsClient.connectMe(b.port(), owner.token());
             WsClient cleoTab = WsClient.connectMe(b.port(), cleo.token())) {
            ownerTab.next();
            cleoTab.next();
            String[] id = new String[1];
            long answered = timed(() -> id[0] = a.api().createList(owner, "Party"));
            JsonNode added = nextOfType(ownerTab, "list_added");
            assertWithin(ownerTab, added, answered);
            assertThat(added.at("/data/id").asText()).isEqualTo(id[0]);
            assertThat(added.at("/data/role").asText()).isEqualTo("owner");

            String code = a.api().post("/api/v1/lists/" + id[0] + "/invites", owner.token(),
                    json(Map.of("role", "editor"))).json().get("code").asText();
            answered = timed(() -> assertThat(a.api().post("/api/v1/invites/" + code + "/accept", cleo.token(), null)
                    .status()).isEqualTo(200));
            JsonNode joined = nextOfType(cleoTab, "list_added");
            assertWithin(cleoTab, joined, answered);
            assertThat(joined.at("/data/role").asText()).isEqualTo("editor");

            answered = timed(() -> assertThat(a.api().delete("/api/v1/lists/" + id[0], owner.token()).status())
                    .isEqualTo(204));
            for (WsClient tab : List.of(ownerTab, cleoTab)) {
                JsonNode removed = nextOfType(tab, "list_removed");
                assertWithin(tab, removed, answered);
                assertThat(removed.at("/data/id").asText()).isEqualTo(id[0]);
            }
        }
    }

    @Test
    @DisplayName("20 rapid adds through both instances: at most one list_changed per second per socket, the last with the final counts")
    void rapidAddsAreCoalesced() {
        User owner = a.api().register();
        try (WsClient onA = WsClient.connectMe(a.port(), owner.token());
             WsClient onB = WsClient.connectMe(b.port(), owner.token())) {
            onA.next();
            onB.next();
            // created with both sockets open, so its list_added cannot arrive in the middle of what is measured
            String listId = a.api().createList(owner, "Rapid");
            nextOfType(onA, "list_added");
            nextOfType(onB, "list_added");
            String lastItem = null;
            for (int i = 0; i < 20; i++) {
                TestServer via = i % 2 == 0 ? a : b;
                lastItem = via.api().post("/api/v1/lists/" + listId + "/items", owner.token(),
                        json(Map.of("name", "item " + i))).json().get("id").asText();
            }
            assertThat(a.api().post("/api/v1/lists/" + listId + "/items/" + lastItem + "/check", owner.token(), null)
                    .status()).isEqualTo(200);
            long answered = System.nanoTime();
            for (WsClient socket : List.of(onA, onB)) {
                List<JsonNode> changes = new ArrayList<>();
                JsonNode change;
                do {
                    change = nextOfType(socket, "list_changed");
                    changes.add(change);
                } while (change.at("/data/version").asLong() < 21);
                JsonNode last = changes.getLast();
                assertThat(last.at("/data/itemCount").asLong()).isEqualTo(20);
                assertThat(last.at("/data/checkedCount").asLong()).isEqualTo(1);
                assertThat(Duration.ofNanos(socket.receivedAt(last) - answered)).isLessThan(Duration.ofMillis(1500));
                for (int i = 1; i < changes.size(); i++) {
                    long gap = socket.receivedAt(changes.get(i)) - socket.receivedAt(changes.get(i - 1));
                    // a second between frames, less what the loopback may add to one arrival and not the other
                    assertThat(Duration.ofNanos(gap)).as("between list_changed %s and %s", i - 1, i)
                            .isGreaterThan(Duration.ofMillis(950));
                }
                assertThat(changes.size()).as("list_changed frames for 21 changes").isLessThan(21);
                // whatever follows (the other instance's read of the same state) holds the same final state
                for (JsonNode more = socket.poll(Duration.ofMillis(1200)); more != null;
                     more = socket.poll(Duration.ofMillis(1200))) {
                    if ("list_changed".equals(more.path("type").asText())) {
                        assertThat(more.get("data")).isEqualTo(last.get("data"));
                    }
                }
            }
        }
    }

    private static long timed(Runnable call) {
        call.run();
        return System.nanoTime();
    }

    private static void assertWithin(WsClient socket, JsonNode frame, long answeredAt) {
        assertThat(Duration.ofNanos(socket.receivedAt(frame) - answeredAt)).as("%s after the REST answer", frame)
                .isLessThan(WITHIN);
    }

    private static JsonNode nextOfType(WsClient socket, String type) {
        while (true) {
            JsonNode frame = socket.next();
            String t = frame.path("type").asText();
            if (t.equals(type)) {
                return frame;
            }
            assertThat(t).as("frame before the %s: %s", type, frame).isIn("ping", "list_changed");
        }
    }
}
