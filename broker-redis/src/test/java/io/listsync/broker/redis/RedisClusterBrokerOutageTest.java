package io.listsync.broker.redis;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.kit.ListEventBrokerOutageContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The outage half of the contract on a Redis Cluster: the outage is a master killed with SIGKILL, recovery its
 * replica taking over. Afterwards the killed node is started again and rejoins as a replica.
 */
@DisplayName("The Redis broker on a Redis Cluster through a master's failover")
class RedisClusterBrokerOutageTest extends ListEventBrokerOutageContract {

    private static final String CHANNEL_PREFIX = LocalRedis.uniqueChannelPrefix();
    private static ThrowawayRedisCluster cluster;
    private int killed = -1;
    private int slot;

    @BeforeAll
    static void startCluster() {
        cluster = ThrowawayRedisCluster.shared();
    }

    @Override
    protected ListEventBroker createBroker() {
        return RedisListEventBroker.start(RedisTestConfigs.cluster(cluster, CHANNEL_PREFIX));
    }

    @Override
    protected void interrupt() {
        killed = cluster.masters().getFirst();
        slot = cluster.view().stream().filter(n -> n.port() == killed).findFirst().orElseThrow().slots().getFirst();
        cluster.kill(killed);
    }

    @Override
    protected void restore() {
        cluster.awaitFailover(slot, killed);
    }

    @Override
    protected void afterOutage() {
        if (killed > 0) {
            cluster.restart(killed);
            killed = -1;
        }
        cluster.awaitHealthy();
    }

    @Override
    protected boolean hasRemoteSubscription(String listId) {
        return cluster.masters().stream().anyMatch(port -> cluster.shardChannels(port, CHANNEL_PREFIX + listId)
                .contains(CHANNEL_PREFIX + listId));
    }
}
