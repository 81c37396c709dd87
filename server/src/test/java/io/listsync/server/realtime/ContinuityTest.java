package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.broker.BrokerState;
import io.listsync.broker.BrokerStateListener;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.ListEventListener;
import io.listsync.broker.Subscription;
import io.listsync.broker.redis.ThrowawayRedis;
import io.listsync.broker.spi.BrokerSettings;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import io.listsync.server.support.ListReplica;
import io.listsync.server.support.Metrics;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.LongStream;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No lost updates: replay from the durable log, the seam between replay and live events, the relay for events a
 * crashed instance never published, and a Redis restart under load.
 */
class ContinuityTest {

    @Test
    @DisplayName("?since within the retained log replays every missed event; since older than the log gets resync")
    void sinceWithinAndBeyondRetention() {
        try (var db = TestDatabases.h2();
             TestServer server = TestServer.start(with(db, Map.of("events.retention.max-age", "PT0S")))) {
            Api api = server.api();
            User owner = api.register();
            String listId = api.createList(owner, "Long history");
            addItems(api, owner, listId, 1010);
            assertThat(server.app().pruner().prune()).isEqualTo(10);

            try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token() + "&since=5")) {
                assertThat(ws.next().get("version").asLong()).isEqualTo(1010);
                JsonNode resync = ws.nextEvent();
                assertThat(resync.get("type").asText()).isEqualTo("resync");
                assertThat(resync.get("version").asLong()).isEqualTo(1010);
            }
            try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token() + "&since=20")) {
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
                for (long v = 21; v <= 1010; v++) {
                    assertThat(ws.nextEvent().get("version").asLong()).isEqualTo(v);
                }
            }
        }
    }

    @Test
    @DisplayName("events committed while a socket is replaying arrive once, in order, after the replay")
    void seamBetweenReplayAndLive() throws Exception {
        try (var db = TestDatabases.h2(); TestServer server = TestServer.start(with(db, Map.of()))) {
            Api api = server.api();
            User owner = api.register();
            String listId = api.createList(owner, "Seam");
            addItems(api, owner, listId, 300);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> addItems(api, owner, listId, 100),
                    java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token() + "&since=0")) {
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
                List<Long> versions = new ArrayList<>();
                while (versions.size() < 400) {
                    versions.add(ws.nextEvent().get("version").asLong());
                }
                writer.get();
                assertThat(versions).isEqualTo(LongStream.rangeClosed(1, 400).boxed().toList());
                assertThat(ws.poll(java.time.Duration.ofMillis(300))).isNull();
            }
        }
    }

    @Test
    @DisplayName("an instance that dies between commit and publish loses nothing: the relay publishes, and clients that move to another instance resume with since")
    void relayPublishesWhatADeadInstanceCommitted() {
        ListEventBroker shared = ListEventBrokers.create("inmemory", BrokerSettings.empty());
        Map<String, String> fastRelay = Map.of("events.relay.interval", "PT0.2S", "events.relay.grace", "PT0.3S");
        try (var db = TestDatabases.h2();
             TestServer dying = TestServer.start(with(db, fastRelay), new NeverPublishes(shared));
             TestServer healthy = TestServer.start(with(db, fastRelay), new Unclosed(shared))) {
            User owner = healthy.api().register();
            String listId = healthy.api().createList(owner, "Crash");
            try (WsClient onHealthy = WsClient.connect(healthy, listId, "token=" + owner.token());
                 WsClient onDying = WsClient.connect(dying, listId, "token=" + owner.token())) {
                onHealthy.next();
                onDying.next();
                // committed on the instance that never gets to publish
                JsonNode item = dying.api().post("/api/v1/lists/" + listId + "/items", owner.token(),
                        json(Map.of("name", "committed, never published"))).json();
                JsonNode relayed = onHealthy.nextEvent();
                assertThat(relayed.get("type").asText()).isEqualTo("item_created");
                assertThat(relayed.get("data")).isEqualTo(item);
                // the relay counts after the broker acknowledged, which may be just after the delivery
                Await.until(() -> healthy.app().relay().relayed() + dying.app().relay().relayed() > 0,
                        java.time.Duration.ofSeconds(10));
                assertThat(onDying.nextEvent().get("version").asLong()).isEqualTo(1);
            }
            // the dying instance's client reconnects to the healthy one and misses nothing
            healthy.api().post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "later")));
            try (WsClient moved = WsClient.connect(healthy, listId, "token=" + owner.token() + "&since=0")) {
                assertThat(moved.next().get("type").asText()).isEqualTo("hello");
                assertThat(moved.nextEvent().get("version").asLong()).isEqualTo(1);
                assertThat(moved.nextEvent().get("version").asLong()).isEqualTo(2);
            }
        } finally {
            shared.close();
        }
    }

    @Test
    @DisplayName("Redis restarts under load: every socket on both instances ends with every version once, in order, equal to a fresh REST read")
    void redisRestartUnderLoad() throws Exception {
        try (ThrowawayRedis redis = ThrowawayRedis.start(); var db = TestDatabases.h2()) {
            Map<String, String> settings = with(db, Map.of("broker.type", "redis", "broker.redis.uri", redis.uri(),
                    "events.relay.interval", "PT0.5S", "events.relay.grace", "PT0.5S"));
            try (TestServer a = TestServer.start(settings); TestServer b = TestServer.start(settings)) {
                User owner = a.api().register();
                String listId = a.api().createList(owner, "Storm");
                List<WsClient> clients = new ArrayList<>();
                List<ListReplica> replicas = new ArrayList<>();
                for (TestServer server : List.of(a, b, a, b)) {
                    replicas.add(new ListReplica(server.api(), listId, owner.token()));
                    clients.add(WsClient.connect(server, listId, "token=" + owner.token()));
                }
                try {
                    int total = 150;
                    for (int i = 0; i < total; i++) {
                        if (i == 50) {
                            redis.kill();
                        }
                        if (i == 100) {
                            redis.startAgain();
                        }
                        TestServer via = i % 2 == 0 ? a : b;
                        Api.Response r = via.api().post("/api/v1/lists/" + listId + "/items", owner.token(),
                                json(Map.of("name", "item " + i)));
                        assertThat(r.status()).as(r.toString()).isEqualTo(201);
                        if (i % 3 == 0 && i > 0) {
                            String id = r.json().get("id").asText();
                            via.api().post("/api/v1/lists/" + listId + "/items/" + id + "/check", owner.token(), null);
                        }
                    }
                    long finalVersion = a.api().get("/api/v1/lists/" + listId, owner.token()).json().get("version")
                            .asLong();
                    for (int c = 0; c < clients.size(); c++) {
                        ListReplica replica = replicas.get(c);
                        while (replica.version() < finalVersion) {
                            replica.accept(clients.get(c).next());
                        }
                        assertThat(replica.items()).as("client %d converged", c).isEqualTo(replica.serverItems());
                        List<Long> applied = replica.applied();
                        assertThat(applied).as("client %d applied in order", c).isSorted().doesNotHaveDuplicates();
                        if (replica.resyncs() == 0 && replica.refetches() == 1) {
                            assertThat(applied).isEqualTo(LongStream.rangeClosed(1, finalVersion).boxed().toList());
                        }
                    }
                    for (TestServer server : List.of(a, b)) {
                        assertThat(server.app().broker().state()).isEqualTo(BrokerState.UP);
                    }
                } finally {
                    clients.forEach(WsClient::close);
                }
            }
        }
    }

    @Test
    @DisplayName("a member removed while the broker was down loses the socket when it comes back (4403)")
    void removalDuringBrokerOutage() {
        try (ThrowawayRedis redis = ThrowawayRedis.start(); var db = TestDatabases.h2()) {
            Map<String, String> settings = with(db, Map.of("broker.type", "redis", "broker.redis.uri", redis.uri()));
            try (TestServer a = TestServer.start(settings); TestServer b = TestServer.start(settings)) {
                User owner = a.api().register();
                User friend = a.api().register();
                String listId = a.api().createList(owner, "Outage");
                assertThat(a.api().post("/api/v1/lists/" + listId + "/members", owner.token(),
                        json(Map.of("email", friend.email(), "role", "editor"))).status()).isEqualTo(201);
                try (WsClient friendOnB = WsClient.connect(b, listId, "token=" + friend.token());
                     WsClient ownerOnB = WsClient.connect(b, listId, "token=" + owner.token())) {
                    friendOnB.next();
                    ownerOnB.next();
                    double resubscribed = Metrics.counter(b, "listsync.broker.resubscriptions");
                    redis.kill();
                    // the notice of the removal cannot reach instance B now
                    assertThat(a.api().delete("/api/v1/lists/" + listId + "/members/" + friend.id(),
                            owner.token()).status()).isEqualTo(204);
                    redis.startAgain();
                    assertThat(friendOnB.awaitClose()).isEqualTo(4403);
                    assertThat(ownerOnB.isClosed()).isFalse();
                    // the recovery is counted where operators see it
                    Await.until(() -> Metrics.counter(b, "listsync.broker.resubscriptions") > resubscribed,
                            java.time.Duration.ofSeconds(10));
                }
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static Map<String, String> with(TestDatabases.TestDatabase db, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(db.settings());
        settings.putAll(extra);
        return settings;
    }

    private static void addItems(Api api, User owner, String listId, int count) {
        for (int i = 0; i < count; i++) {
            Api.Response r = api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                    json(Map.of("name", "item " + i)));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
    }

    /** Delegates to a broker shared by several instances in this JVM, without closing it. */
    private static class Unclosed implements ListEventBroker {
        final ListEventBroker delegate;

        Unclosed(ListEventBroker delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Void> publish(ListEvent event) {
            return delegate.publish(event);
        }

        @Override
        public Subscription subscribe(String listId, ListEventListener listener) {
            return delegate.subscribe(listId, listener);
        }

        @Override
        public BrokerState state() {
            return delegate.state();
        }

        @Override
        public void onStateChange(BrokerStateListener listener) {
            delegate.onStateChange(listener);
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public io.listsync.broker.BrokerStats stats() {
            return delegate.stats();
        }

        @Override
        public void close() {
        }
    }

    /** An instance that commits but dies before its publish reaches the broker. */
    private static final class NeverPublishes extends Unclosed {
        NeverPublishes(ListEventBroker delegate) {
            super(delegate);
        }

        @Override
        public CompletionStage<Void> publish(ListEvent event) {
            return new CompletableFuture<>();
        }
    }
}
