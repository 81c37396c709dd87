package io.listsync.broker.redis;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.kit.ListEventBrokerOutageContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

import java.util.List;

/**
 * The outage half of the contract behind Redis Sentinel: the outage is the master killed with SIGKILL, recovery the
 * sentinels promoting the replica. Afterwards the old master is started again and becomes a replica.
 */
@DisplayName("The Redis broker through a Sentinel failover")
class RedisSentinelBrokerOutageTest extends ListEventBrokerOutageContract {

    private static final String CHANNEL_PREFIX = LocalRedis.uniqueChannelPrefix();
    private static ThrowawayRedisSentinels sentinels;
    private int killed = -1;

    @BeforeAll
    static void startSentinels() {
        sentinels = ThrowawayRedisSentinels.shared();
    }

    @Override
    protected ListEventBroker createBroker() {
        return RedisListEventBroker.start(RedisTestConfigs.sentinel(sentinels, CHANNEL_PREFIX));
    }

    @Override
    protected void interrupt() {
        killed = sentinels.killMaster();
    }

    @Override
    protected void restore() {
        sentinels.awaitFailover(killed);
    }

    @Override
    protected void afterOutage() {
        if (killed > 0) {
            sentinels.restart(killed);
            killed = -1;
        }
        sentinels.awaitHealthy();
    }

    @Override
    protected boolean hasRemoteSubscription(String listId) {
        return sentinels.dataPorts().stream().anyMatch(port -> ThrowawayRedisCli.text(port, "PING") != null
                && channels(port, CHANNEL_PREFIX + listId).contains(CHANNEL_PREFIX + listId));
    }

    @SuppressWarnings("unchecked")
    static List<String> channels(int port, String pattern) {
        return ((List<Object>) ThrowawayRedisCli.require(port, "PUBSUB", "CHANNELS", pattern)).stream()
                .map(String.class::cast).toList();
    }
}
