package io.listsync.broker.redis;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.kit.Await;
import io.listsync.broker.kit.ListEventBrokerContract;
import io.listsync.broker.spi.BrokerSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole contract, unchanged, against a real 3-master / 3-replica Redis Cluster with sharded pub/sub, through
 * {@code ListEventBrokers.create("redis")} with {@code mode: cluster}, as the server creates it.
 */
@DisplayName("The Redis broker keeps the broker contract on a Redis Cluster")
class RedisClusterBrokerContractTest extends ListEventBrokerContract {

    private static final String CHANNEL_PREFIX = LocalRedis.uniqueChannelPrefix();
    private static ThrowawayRedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ThrowawayRedisCluster.shared();
    }

    @Override
    protected ListEventBroker createBroker() {
        return ListEventBrokers.create("redis", new BrokerSettings(Map.of("mode", "cluster",
                "uri", cluster.uri(), "channel-prefix", CHANNEL_PREFIX)));
    }

    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(20); // six servers and the tests on two shared cores
    }

    @Override
    protected void assertNoRemoteSubscriptionsLeft() {
        Await.until(timeout(), () -> "no master holds a list channel under " + CHANNEL_PREFIX + ": "
                + listChannels(), () -> listChannels().isEmpty());
    }

    private static List<String> listChannels() {
        return cluster.masters().stream().flatMap(port -> cluster.shardChannels(port, CHANNEL_PREFIX + "*").stream())
                .filter(channel -> !Heartbeat.isHeartbeat(channel, CHANNEL_PREFIX)).toList();
    }
}
