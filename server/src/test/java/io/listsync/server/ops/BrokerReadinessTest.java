package io.listsync.server.ops;

import io.listsync.broker.redis.ThrowawayRedis;
import io.listsync.broker.redis.ThrowawayRedisProxy;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import io.listsync.server.support.ListReplica;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows the broker: an instance whose broker is DOWN (Redis not there yet at start-up, or this
 * instance's subscription gone deaf) is not ready, keeps taking REST writes, and once the broker is back its sockets
 * get everything written meanwhile.
 */
class BrokerReadinessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    @DisplayName("a server started while Redis is not running comes up, takes REST writes (201), is not ready; once Redis starts it is ready and its sockets get what was written meanwhile")
    void redisAbsentAtStart() {
        ThrowawayRedis redis = ThrowawayRedis.reserve();
        try (var db = TestDatabases.h2(); TestServer server = TestServer.start(settings(db, redis.uri()))) {
            Api api = server.api();
            assertThat(api.get("/observe/health/ready", null).status()).isEqualTo(503);
            assertThat(api.get("/observe/health/started", null).status()).isEqualTo(200);
            assertThat(api.get("/observe/health", null).text()).contains("\"broker\"").contains("\"DOWN\"");
            User owner = api.register();
            String listId = api.createList(owner, "Written before Redis");
            ListReplica replica = new ListReplica(api, listId, owner.token());
            long start = replica.version();
            try (WsClient socket = WsClient.connect(server, listId, "token=" + owner.token())) {
                replica.accept(socket.next()); // hello
                for (int i = 0; i < 10; i++) {
                    Api.Response created = api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                            json(Map.of("name", "item " + i)));
                    assertThat(created.status()).as(created.toString()).isEqualTo(201);
                }
                assertThat(api.get("/observe/health/ready", null).status()).isEqualTo(503);

                redis.startAgain();

                Await.until(() -> api.get("/observe/health/ready", null).status() == 200, WAIT);
                long last = api.get("/api/v1/lists/" + listId, owner.token()).json().get("version").asLong();
                while (replica.version() < last) {
                    replica.accept(socket.next());
                }
                assertThat(replica.items()).isEqualTo(replica.serverItems());
                assertThat(replica.applied()).as("every version over the socket, once, in order")
                        .isEqualTo(LongStream.rangeClosed(start + 1, last).boxed().toList());
            }
        } finally {
            redis.close();
        }
    }

    @Test
    @DisplayName("an instance whose pub/sub connection goes silently deaf is not ready until it has subscribed again, and its sockets are caught up with what another instance wrote meanwhile")
    void deafSubscriber() {
        try (ThrowawayRedis redis = ThrowawayRedis.start();
             ThrowawayRedisProxy network = ThrowawayRedisProxy.to(redis.port());
             var db = TestDatabases.h2();
             TestServer healthy = TestServer.start(settings(db, redis.uri())); // the default heartbeat: 1 s / 5 s
             TestServer deaf = TestServer.start(withFastHeartbeat(settings(db, network.uri())))) {
            for (TestServer server : new TestServer[] {healthy, deaf}) {
                Await.until(() -> server.api().get("/observe/health/ready", null).status() == 200, WAIT);
            }
            Api api = healthy.api();
            User owner = api.register();
            String listId = api.createList(owner, "Deaf");
            ListReplica onHealthy = new ListReplica(api, listId, owner.token());
            ListReplica onDeaf = new ListReplica(deaf.api(), listId, owner.token());
            long start = onDeaf.version();
            try (WsClient healthySocket = WsClient.connect(healthy, listId, "token=" + owner.token());
                 WsClient deafSocket = WsClient.connect(deaf, listId, "token=" + owner.token())) {
                onHealthy.accept(healthySocket.next());
                onDeaf.accept(deafSocket.next());
                addItems(api, owner, listId, 0, 3);

                network.freezeSubscribers(); // the deaf instance's subscription stops hearing, its socket stays open
                addItems(api, owner, listId, 3, 6); // lost to the deaf instance's subscription
                Await.until(() -> deaf.api().get("/observe/health/ready", null).status() == 503, WAIT);
                assertThat(healthy.api().get("/observe/health/ready", null).status()).isEqualTo(200);
                assertThat(deaf.api().get("/observe/health", null).text()).contains("\"heartbeatMisses\":");
                addItems(api, owner, listId, 6, 9);
                network.thaw();

                Await.until(() -> deaf.api().get("/observe/health/ready", null).status() == 200, WAIT);
                long last = api.get("/api/v1/lists/" + listId, owner.token()).json().get("version").asLong();
                for (var pair : Map.of(onHealthy, healthySocket, onDeaf, deafSocket).entrySet()) {
                    ListReplica replica = pair.getKey();
                    while (replica.version() < last) {
                        replica.accept(pair.getValue().next());
                    }
                    assertThat(replica.items()).isEqualTo(replica.serverItems());
                    assertThat(replica.applied()).as("every version over the socket, once, in order")
                            .isEqualTo(LongStream.rangeClosed(start + 1, last).boxed().toList());
                }
                assertThat(deaf.app().broker().stats().heartbeatMisses()).isGreaterThanOrEqualTo(1);
                assertThat(healthy.app().broker().stats().heartbeatMisses()).isZero();
            }
        }
    }

    private static void addItems(Api api, User owner, String listId, int from, int to) {
        for (int i = from; i < to; i++) {
            Api.Response created = api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                    json(Map.of("name", "item " + i)));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
    }

    /** One channel prefix per test class run: the instances of a test talk to each other, other runs stay apart. */
    private static final String CHANNEL_PREFIX = "test-" + java.util.UUID.randomUUID() + ":list:";

    private static Map<String, String> settings(TestDatabases.TestDatabase db, String redisUri) {
        Map<String, String> settings = new HashMap<>(db.settings());
        settings.put("broker.type", "redis");
        settings.put("broker.redis.uri", redisUri);
        settings.put("broker.redis.channel-prefix", CHANNEL_PREFIX);
        settings.put("events.relay.interval", "PT0.3S");
        settings.put("events.relay.grace", "PT0.3S");
        return settings;
    }

    private static Map<String, String> withFastHeartbeat(Map<String, String> settings) {
        Map<String, String> fast = new HashMap<>(settings);
        fast.put("broker.redis.heartbeat-interval", "PT0.2S");
        fast.put("broker.redis.heartbeat-timeout", "PT1.5S");
        return fast;
    }
}
