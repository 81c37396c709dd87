package io.listsync.broker.redis;

import io.listsync.broker.BrokerException;
import io.listsync.broker.BrokerState;
import io.listsync.broker.ListEvent;
import io.listsync.broker.kit.Await;
import io.listsync.broker.kit.RecordingListener;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starting the broker: with Redis away it starts DOWN and connects when Redis appears, in every mode (the server is
 * then not ready, but up and taking writes); with settings Redis shows to be wrong it refuses to start and says why.
 */
@DisplayName("Starting the Redis broker")
class RedisBrokerStartupTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final String prefix = LocalRedis.uniqueChannelPrefix();

    @Test
    @DisplayName("with Redis not running it starts DOWN, says so with the password hidden, and is UP with every subscription once Redis appears")
    void standaloneRedisAppearsLater() {
        java.util.Set<Thread> before = lettuceThreads();
        ThrowawayRedis redis = ThrowawayRedis.reserve();
        String uri = "redis://:s3cret@127.0.0.1:" + redis.port();
        try (CapturedLog log = new CapturedLog();
             RedisListEventBroker broker = RedisListEventBroker.start(RedisTestConfigs.standalone(uri, prefix))) {
            assertThat(broker.state()).isEqualTo(BrokerState.DOWN);
            assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("WARNING Cannot connect to Redis at redis://:***@127.0.0.1:" + redis.port()
                            + " (broker.redis.uri, standalone mode)")
                    .endsWith("the broker starts DOWN and connects as soon as Redis is reachable"));
            assertThat(String.join("\n", log.lines())).doesNotContain("s3cret");
            List<BrokerState> states = new CopyOnWriteArrayList<>();
            broker.onStateChange(states::add);
            String list = "list-" + UUID.randomUUID();
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);
            assertThat(broker.publish(event(list, 1)).toCompletableFuture()).failsWithin(TIMEOUT);

            redis.startAgain(List.of("--requirepass", "s3cret"));

            Await.until(TIMEOUT, () -> "the broker is UP: " + states, () -> states.equals(List.of(BrokerState.UP)));
            ListEvent event = event(list, 2);
            assertThat(broker.publish(event).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactly(event);
            assertThat(broker.stats().resubscriptions()).isZero(); // the first UP is no recovery
        } finally {
            redis.close();
        }
        Await.until(TIMEOUT, () -> "Lettuce's threads of the closed broker ended: " + lettuceThreads(),
                () -> before.containsAll(lettuceThreads()));
    }

    private static java.util.Set<Thread> lettuceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("lettuce-") && t.isAlive())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    @DisplayName("with no cluster node running it starts DOWN, and is UP once the cluster is created")
    void clusterAppearsLater() {
        try (ThrowawayRedisCluster later = ThrowawayRedisCluster.reserve(3, 0);
             RedisListEventBroker broker = RedisListEventBroker.start(RedisTestConfigs.cluster(later, prefix))) {
            assertThat(broker.state()).isEqualTo(BrokerState.DOWN);
            String list = "list-" + UUID.randomUUID();
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);

            later.create();

            Await.until(TIMEOUT, "the broker is UP", () -> broker.state() == BrokerState.UP);
            ListEvent event = event(list, 1);
            assertThat(broker.publish(event).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactly(event);
            assertThat(later.shardChannels(later.masterOfChannel(prefix + list), prefix + list))
                    .containsExactly(prefix + list);
        }
    }

    @Test
    @DisplayName("with one cluster seed unreachable it warns, naming the seed, and works with the others")
    void oneSeedUnreachable() {
        ThrowawayRedisCluster cluster = ThrowawayRedisCluster.shared();
        ThrowawayRedis absent = ThrowawayRedis.reserve();
        String seeds = "redis://127.0.0.1:" + absent.port() + "," + cluster.uri();
        try (CapturedLog log = new CapturedLog();
             RedisListEventBroker broker = RedisListEventBroker.start(
                     RedisTestConfigs.cluster(cluster, prefix).withMode(RedisMode.CLUSTER, seeds))) {
            assertThat(broker.state()).isEqualTo(BrokerState.UP);
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("WARNING Redis Cluster seed"
                    + " 127.0.0.1:" + absent.port() + " (broker.redis.uri) is unreachable (")
                    .endsWith("); the topology is learnt from the other seeds"));
            RecordingListener listener = new RecordingListener();
            String list = "list-" + UUID.randomUUID();
            broker.subscribe(list, listener);
            ListEvent event = event(list, 1);
            assertThat(broker.publish(event).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactly(event);
        }
    }

    @Test
    @DisplayName("refuses a standalone URI that points at a cluster node, and a cluster seed without cluster support")
    void wrongModeForTheServer() {
        ThrowawayRedisCluster cluster = ThrowawayRedisCluster.shared();
        String node = "redis://127.0.0.1:" + cluster.masters().getFirst();
        assertThatThrownBy(() -> startAndClose(RedisTestConfigs.standalone(node, prefix)))
                .isInstanceOf(BrokerException.class)
                .hasMessage("broker.redis.uri (" + node + ") points at a Redis Cluster node; set"
                        + " broker.redis.mode=cluster and list the cluster's nodes as seeds (classic pub/sub on a"
                        + " cluster is broadcast to every node)");

        try (ThrowawayRedis plain = ThrowawayRedis.start()) {
            assertThatThrownBy(() -> startAndClose(RedisTestConfigs.standalone(LocalRedis.URI, prefix)
                    .withMode(RedisMode.CLUSTER, plain.uri() + "," + node)))
                    .isInstanceOf(BrokerException.class)
                    .hasMessage("broker.redis.uri has the seed 127.0.0.1:" + plain.port() + ", which is not a Redis"
                            + " Cluster node (cluster support disabled); use broker.redis.mode=standalone for a"
                            + " single Redis");
        }
    }

    @Test
    @DisplayName("refuses a wrong password with Redis's answer and without the password")
    void wrongPassword() {
        try (ThrowawayRedis redis = ThrowawayRedis.reserve()) {
            redis.startAgain(List.of("--requirepass", "right"));
            String uri = "redis://:wrong-s3cret@127.0.0.1:" + redis.port();
            assertThatThrownBy(() -> startAndClose(RedisTestConfigs.standalone(uri, prefix)))
                    .isInstanceOf(BrokerException.class)
                    .hasMessageStartingWith("Redis at redis://:***@127.0.0.1:" + redis.port()
                            + " (broker.redis.uri) refused the broker: WRONGPASS")
                    .hasMessageNotContaining("wrong-s3cret");
        }
    }

    /** Starts a broker that should be refused; if it is not, closes it so no thread outlives the test. */
    private static void startAndClose(RedisBrokerConfig config) {
        RedisListEventBroker.start(config).close();
    }

    private static ListEvent event(String list, long version) {
        return new ListEvent(list, "item_created", version, "{\"version\":" + version + "}");
    }
}
