package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import io.listsync.server.support.ChildServer;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence (contract 1.1, {@code presence=true}) across instances on Redis: the whole set of viewers, each user once,
 * updated within a second of a socket opening or closing, and within two ping intervals plus 5 s when the instance
 * that held a viewer is killed with SIGKILL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresenceTest {

    private static final Duration PING = Duration.ofSeconds(2);

    private TestDatabases.TestDatabase database;
    private Map<String, String> settings;
    private TestServer a;
    private TestServer b;

    @BeforeAll
    void start() {
        database = TestDatabases.postgres();
        settings = new HashMap<>(database.settings());
        settings.put("broker.type", "redis");
        settings.put("broker.redis.channel-prefix", "test-" + UUID.randomUUID() + ":");
        settings.put("broker.redis.uri", TestServer.localRedisUri());
        settings.put("realtime.ping-interval", PING.toString());
        settings.put("realtime.max-sockets-per-user", "0");
        settings.put("realtime.max-sockets-per-address", "0");
        a = TestServer.start(settings);
        b = TestServer.start(settings);
    }

    @AfterAll
    void stop() {
        Teardown.closeAll(a, b, database);
    }

    @Test
    @DisplayName("viewers on both instances see the whole set, a user with two tabs appears once, a leaver goes within 1 s; no presence without presence=true")
    void wholeSetAcrossInstances() {
        User owner = a.api().register();
        User friend = a.api().register();
        String listId = sharedList(owner, friend);
        try (WsClient plain = WsClient.connect(a, listId, "token=" + owner.token());
             WsClient ownerOnA = presence(a, listId, owner)) {
            assertThat(plain.next().has("viewers")).isFalse();
            assertThat(ids(ownerOnA.next().get("viewers"))).containsExactly(owner.id());

            long opened;
            try (WsClient friendOnB = presence(b, listId, friend)) {
                opened = System.nanoTime();
                JsonNode hello = friendOnB.next();
                assertThat(hello.get("type").asText()).isEqualTo("hello");
                // B had no viewer of the list: its hello still names the owner on A (B asked A first)
                assertThat(ids(hello.get("viewers"))).containsExactlyInAnyOrder(owner.id(), friend.id());
                JsonNode both = nextPresence(ownerOnA, Set.of(owner.id(), friend.id()));
                assertThat(Duration.ofNanos(ownerOnA.receivedAt(both) - opened)).isLessThan(Duration.ofSeconds(1));
                assertThat(both.get("listId").asText()).isEqualTo(listId);
                assertThat(both.get("viewers").findValuesAsText("displayName")).hasSize(2).doesNotContainNull();

                // the owner's second tab, on B: the owner still appears once, and nobody gets a frame for it
                try (WsClient ownerOnB = presence(b, listId, owner)) {
                    assertThat(ids(ownerOnB.next().get("viewers"))).containsExactlyInAnyOrder(owner.id(), friend.id());
                }
                assertThat(presenceFrames(ownerOnA, Duration.ofMillis(1500))).isEmpty();
            }
            long closed = System.nanoTime();
            JsonNode alone = nextPresence(ownerOnA, Set.of(owner.id()));
            assertThat(Duration.ofNanos(ownerOnA.receivedAt(alone) - closed)).isLessThan(Duration.ofSeconds(1));
            assertThat(presenceFrames(plain, Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    @DisplayName("the viewers of an instance killed with SIGKILL leave the set within two ping intervals plus 5 s")
    void deadInstanceLosesItsViewers() {
        User owner = a.api().register();
        User friend = a.api().register();
        String listId = sharedList(owner, friend);
        Map<String, String> child = new HashMap<>(settings);
        child.put("auth.jwt.secret", TestServer.SECRET);
        child.put("auth.bcrypt-cost", "4");
        try (ChildServer c = ChildServer.builder("presence-victim").settings(child).build().start();
             WsClient ownerOnA = presence(a, listId, owner);
             WsClient friendOnC = WsClient.connectPath(c.port(), "/api/v1/ws/lists/" + listId,
                     "token=" + friend.token() + "&presence=true", null, true)) {
            ownerOnA.next();
            friendOnC.next();
            nextPresence(ownerOnA, Set.of(owner.id(), friend.id()));

            c.kill();
            long killed = System.nanoTime();
            JsonNode alone = nextPresence(ownerOnA, Set.of(owner.id()), PING.multipliedBy(2).plusSeconds(10));
            assertThat(Duration.ofNanos(ownerOnA.receivedAt(alone) - killed))
                    .isLessThan(PING.multipliedBy(2).plusSeconds(5));
        }
    }

    @Test
    @DisplayName("a join storm of 300 sockets (60 users, 5 tabs each, both instances) costs each socket a handful of presence frames, and all end with the whole set")
    void joinStormIsCoalesced() throws Exception {
        User owner = a.api().register();
        String listId = a.api().createList(owner, "Storm");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            User user = a.api().register();
            assertThat(a.api().post("/api/v1/lists/" + listId + "/members", owner.token(),
                    json(Map.of("email", user.email(), "role", "viewer"))).status()).isEqualTo(201);
            users.add(user);
        }
        Set<String> everyone = new TreeSet<>(users.stream().map(User::id).toList());
        List<WsClient> sockets = new ArrayList<>();
        try (ExecutorService storm = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WsClient>> opening = new ArrayList<>();
            for (int tab = 0; tab < 5; tab++) {
                for (int u = 0; u < users.size(); u++) {
                    TestServer via = (u + tab) % 2 == 0 ? a : b;
                    User user = users.get(u);
                    opening.add(storm.submit(() -> presence(via, listId, user)));
                }
            }
            for (Future<WsClient> socket : opening) {
                sockets.add(socket.get());
            }
        }
        try {
            int most = 0;
            long total = 0;
            for (WsClient socket : sockets) {
                JsonNode hello = socket.next();
                assertThat(hello.path("type").asText()).as("first frame %s", hello).isEqualTo("hello");
                Set<String> last = ids(hello.get("viewers"));
                int frames = 0;
                while (!last.equals(everyone)) {
                    JsonNode frame = socket.next();
                    if ("presence".equals(frame.path("type").asText())) {
                        frames++;
                        last = ids(frame.get("viewers"));
                    }
                }
                frames += presenceFrames(socket, Duration.ofMillis(50)).size();
                most = Math.max(most, frames);
                total += frames;
            }
            System.out.println("join storm: 300 sockets, at most " + most + " presence frames per socket, "
                    + total + " in all (one frame per join would be 300 each)");
            assertThat(most).as("presence frames one socket got during the storm").isLessThanOrEqualTo(30);
        } finally {
            sockets.forEach(WsClient::close);
        }
    }

    private String sharedList(User owner, User friend) {
        String listId = a.api().createList(owner, "Viewers");
        assertThat(a.api().post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", friend.email(), "role", "editor"))).status()).isEqualTo(201);
        return listId;
    }

    private static WsClient presence(TestServer server, String listId, User user) {
        return WsClient.connect(server, listId, "token=" + user.token() + "&presence=true");
    }

    private static Set<String> ids(JsonNode viewers) {
        assertThat(viewers).as("viewers").isNotNull();
        Set<String> ids = new TreeSet<>(viewers.findValuesAsText("userId"));
        assertThat(ids).as("each user once").hasSize(viewers.size());
        return ids;
    }

    private static JsonNode nextPresence(WsClient socket, Set<String> viewers) {
        return nextPresence(socket, viewers, WsClient.WAIT);
    }

    /** The first {@code presence} frame with exactly these viewers, skipping others, within {@code wait}. */
    private static JsonNode nextPresence(WsClient socket, Set<String> viewers, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            JsonNode frame = left.isNegative() ? null : socket.poll(left);
            assertThat(frame).as("a presence frame with %s within %s", viewers, wait).isNotNull();
            if ("presence".equals(frame.path("type").asText()) && ids(frame.get("viewers")).equals(viewers)) {
                return frame;
            }
        }
    }

    /** The presence frames that arrive within {@code wait}. */
    private static List<JsonNode> presenceFrames(WsClient socket, Duration wait) {
        List<JsonNode> frames = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        for (JsonNode f = socket.poll(wait); f != null;
             f = socket.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            if ("presence".equals(f.path("type").asText())) {
                frames.add(f);
            }
        }
        return frames;
    }
}
