package io.listsync.server.realtime;

import io.listsync.broker.BrokerState;
import io.listsync.broker.redis.ThrowawayRedisCluster;
import io.listsync.broker.redis.ThrowawayRedisSentinels;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover under load, the continuity tests of {@link ContinuityTest} on the topologies operators run beyond one
 * Redis: writers through two instances while the Redis that carries the watched list is killed with SIGKILL and a
 * replica takes over. Nothing may be silently lost: every socket on both instances ends with every version once, in
 * order, equal to a fresh REST read.
 */
class BrokerFailoverTest {

    // generous: a loaded CI machine fails over more slowly, and a test that fails only there says little
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    @DisplayName("Redis Cluster: the master owning a watched list's slot is killed under writes through both instances; its replica takes over and every socket converges, every version once, in order")
    void clusterFailoverUnderLoad() {
        ThrowawayRedisCluster cluster = ThrowawayRedisCluster.shared();
        String prefix = "test-" + UUID.randomUUID() + ":list:";
        int[] killed = {-1};
        try (var db = TestDatabases.h2()) {
            Map<String, String> settings = settings(db, prefix, Map.of("broker.redis.mode", "cluster",
                    "broker.redis.uri", cluster.uri()));
            try (TestServer a = TestServer.start(settings); TestServer b = TestServer.start(settings)) {
                underLoad(a, b, listId -> {
                    int slot = cluster.slot(prefix + listId);
                    killed[0] = cluster.masterOf(slot);
                    cluster.kill(killed[0]);
                    cluster.awaitFailover(slot, killed[0]);
                });
            }
        } finally {
            if (killed[0] > 0) {
                cluster.restart(killed[0]);
            }
            cluster.awaitHealthy();
        }
    }

    @Test
    @DisplayName("Redis Sentinel: the master is killed under writes through both instances; the sentinels promote the replica and every socket converges, every version once, in order")
    void sentinelFailoverUnderLoad() {
        ThrowawayRedisSentinels sentinels = ThrowawayRedisSentinels.shared();
        int[] killed = {-1};
        try (var db = TestDatabases.h2()) {
            Map<String, String> settings = settings(db, "test-" + UUID.randomUUID() + ":list:", Map.of(
                    "broker.redis.mode", "sentinel", "broker.redis.uri", sentinels.uri()));
            try (TestServer a = TestServer.start(settings); TestServer b = TestServer.start(settings)) {
                underLoad(a, b, listId -> {
                    killed[0] = sentinels.killMaster();
                    sentinels.awaitFailover(killed[0]);
                });
            }
        } finally {
            if (killed[0] > 0) {
                sentinels.restart(killed[0]);
            }
            sentinels.awaitHealthy();
        }
    }

    @Test
    @DisplayName("Redis Cluster: a member removed while the list's shard is failing over loses the socket on the other instance once it is back (4403)")
    void removalDuringClusterFailover() {
        ThrowawayRedisCluster cluster = ThrowawayRedisCluster.shared();
        String prefix = "test-" + UUID.randomUUID() + ":list:";
        int killed = -1;
        try (var db = TestDatabases.h2()) {
            Map<String, String> settings = settings(db, prefix, Map.of("broker.redis.mode", "cluster",
                    "broker.redis.uri", cluster.uri()));
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
                    int slot = cluster.slot(prefix + listId);
                    killed = cluster.masterOf(slot);
                    cluster.kill(killed);
                    // the notice of the removal cannot reach instance B through the dead shard
                    assertThat(a.api().delete("/api/v1/lists/" + listId + "/members/" + friend.id(),
                            owner.token()).status()).isEqualTo(204);
                    cluster.awaitFailover(slot, killed);
                    assertThat(friendOnB.awaitClose()).isEqualTo(4403);
                    assertThat(ownerOnB.isClosed()).isFalse();
                }
            }
        } finally {
            if (killed > 0) {
                cluster.restart(killed);
            }
            cluster.awaitHealthy();
        }
    }

    /**
     * Two writers, one per instance, create (and now and then check) items on one list while four sockets, two per
     * instance, watch it. After a first stretch of writes the outage runs (it returns once Redis has failed over);
     * writing goes on until both brokers are UP again and a while after. Then every socket must converge.
     */
    private static void underLoad(TestServer a, TestServer b, java.util.function.Consumer<String> outage) {
        User owner = a.api().register();
        String listId = a.api().createList(owner, "Failover");
        List<WsClient> sockets = new ArrayList<>();
        List<ListReplica> replicas = new ArrayList<>();
        long start = -1;
        for (TestServer server : List.of(a, b, a, b)) {
            ListReplica replica = new ListReplica(server.api(), listId, owner.token());
            start = replica.version();
            replicas.add(replica);
            sockets.add(WsClient.connect(server, listId, "token=" + owner.token()));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> running = new ArrayList<>();
            for (TestServer server : List.of(a, b)) {
                running.add(writers.submit(() -> write(server.api(), owner, listId, stop, writes::incrementAndGet)));
            }
            int beforeOutage;
            int atRecovery;
            try {
                Await.until(() -> writes.get() >= 40, WAIT);
                beforeOutage = writes.get();
                outage.accept(listId);
                for (TestServer server : List.of(a, b)) {
                    Await.until(() -> server.app().broker().state() == BrokerState.UP, WAIT);
                }
                atRecovery = writes.get();
                Await.until(() -> writes.get() >= atRecovery + 20, WAIT);
            } finally {
                // whatever failed above, the writers must stop, or closing the executor waits for them for ever
                stop.set(true);
            }
            for (Future<Integer> writer : running) {
                assertThat(writer.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isPositive();
            }
            assertThat(atRecovery).as("REST writes went on while Redis failed over").isGreaterThan(beforeOutage);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try {
            long last = a.api().get("/api/v1/lists/" + listId, owner.token()).json().get("version").asLong();
            for (int c = 0; c < sockets.size(); c++) {
                ListReplica replica = replicas.get(c);
                while (replica.version() < last) {
                    replica.accept(sockets.get(c).next());
                }
                assertThat(replica.items()).as("socket %d converged", c).isEqualTo(replica.serverItems());
                assertThat(replica.applied()).as("socket %d got every version once, in order (%d resyncs, %d refetches)", c, replica.resyncs(),
                                replica.refetches())
                        .isEqualTo(LongStream.rangeClosed(start + 1, last).boxed().toList());
            }
        } finally {
            sockets.forEach(WsClient::close);
        }
    }

    /** Writes until told to stop; every answer must be 201 (a check: 200). Returns how many it wrote. */
    private static int write(Api api, User owner, String listId, AtomicBoolean stop, Runnable counted) {
        int written = 0;
        while (!stop.get()) {
            Api.Response created = api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                    json(Map.of("name", "item " + UUID.randomUUID())));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            written++;
            counted.run();
            if (written % 3 == 0) {
                String id = created.json().get("id").asText();
                Api.Response checked = api.post("/api/v1/lists/" + listId + "/items/" + id + "/check",
                        owner.token(), null);
                assertThat(checked.status()).as(checked.toString()).isEqualTo(200);
            }
        }
        return written;
    }

    private static Map<String, String> settings(TestDatabases.TestDatabase db, String prefix,
                                                Map<String, String> redis) {
        Map<String, String> settings = new HashMap<>(db.settings());
        settings.put("broker.type", "redis");
        settings.put("broker.redis.channel-prefix", prefix);
        settings.put("events.relay.interval", "PT0.5S");
        settings.put("events.relay.grace", "PT0.5S");
        // the outage's gap is replayed event by event however long the failover takes and however fast the writers
        // are (on a fast machine it exceeds the default 1,000); folding a backlog into a resync is SlowConsumerTest's
        settings.put("realtime.max-backlog", "1000000");
        settings.putAll(redis);
        return settings;
    }
}
