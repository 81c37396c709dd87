package io.listsync.server.realtime;

import io.listsync.broker.redis.ThrowawayRedisCluster;
import org.junit.jupiter.api.DisplayName;

import java.util.Map;

/**
 * The cross-instance real-time tests of {@link ClusterRealtimeTest}, unchanged, with both instances' brokers on a
 * 3-master / 3-replica Redis Cluster (sharded pub/sub).
 */
@DisplayName("Two instances on a Redis Cluster")
class RedisClusterRealtimeTest extends ClusterRealtimeTest {

    @Override
    protected Map<String, String> redisSettings() {
        return Map.of("broker.redis.mode", "cluster", "broker.redis.uri", ThrowawayRedisCluster.shared().uri());
    }
}
