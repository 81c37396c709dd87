package io.listsync.broker.redis;

import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.kit.BrokerBenchmark;
import io.listsync.broker.spi.BrokerSettings;

import java.util.Map;

/**
 * Publish-to-listener latency and throughput of the Redis broker (publisher and subscriber in one JVM, so every event
 * makes the full round trip through Redis), in three set-ups started for the run, each on throw-away
 * {@code redis-server}s so that no other test shares them:
 *
 * <ul>
 *     <li>{@code redis}: one Redis, classic {@code PUBLISH}/{@code SUBSCRIBE};</li>
 *     <li>{@code redis-cluster 3 shards}: a Redis Cluster of 3 masters, sharded {@code SPUBLISH}/{@code SSUBSCRIBE}
 *     (one pub/sub connection per master);</li>
 *     <li>{@code redis-cluster 3+3 replicas}: the same with a replica per master, as production runs it (every
 *     sharded message is also sent to the shard's replica).</li>
 * </ul>
 *
 * Run with {@code mvn -B -pl broker-redis -am -Pbenchmark -DskipTests verify}.
 */
public final class RedisBrokerBenchmark {

    private RedisBrokerBenchmark() {
    }

    public static void main(String[] args) {
        String channelPrefix = "listsync:bench:" + ProcessHandle.current().pid() + ":";
        try (ThrowawayRedis redis = ThrowawayRedis.start()) {
            BrokerBenchmark.run("redis", () -> ListEventBrokers.create("redis", new BrokerSettings(Map.of(
                    "uri", redis.uri(), "channel-prefix", channelPrefix))), System.out);
        }
        for (int replicas : new int[] {0, 1}) {
            try (ThrowawayRedisCluster cluster = ThrowawayRedisCluster.start(3, replicas)) {
                BrokerBenchmark.run(replicas == 0 ? "redis-cluster 3 shards" : "redis-cluster 3+3 replicas",
                        () -> ListEventBrokers.create("redis", new BrokerSettings(Map.of("mode", "cluster",
                                "uri", cluster.uri(), "channel-prefix", channelPrefix))), System.out);
            }
        }
    }
}
