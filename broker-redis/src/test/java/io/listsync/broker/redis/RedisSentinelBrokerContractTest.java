package io.listsync.broker.redis;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.kit.Await;
import io.listsync.broker.kit.ListEventBrokerContract;
import io.listsync.broker.spi.BrokerSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

import java.util.List;
import java.util.Map;

/**
 * The whole contract, unchanged, against a master found through three real sentinels, through
 * {@code ListEventBrokers.create("redis")} with {@code mode: sentinel}.
 */
@DisplayName("The Redis broker keeps the broker contract behind Redis Sentinel")
class RedisSentinelBrokerContractTest extends ListEventBrokerContract {

    private static final String CHANNEL_PREFIX = LocalRedis.uniqueChannelPrefix();
    private static ThrowawayRedisSentinels sentinels;

    @BeforeAll
    static void startSentinels() {
        sentinels = ThrowawayRedisSentinels.shared();
    }

    @Override
    protected ListEventBroker createBroker() {
        return ListEventBrokers.create("redis", new BrokerSettings(Map.of("mode", "sentinel",
                "uri", sentinels.uri(), "channel-prefix", CHANNEL_PREFIX)));
    }

    @Override
    protected void assertNoRemoteSubscriptionsLeft() {
        Await.until(timeout(), () -> "the master holds no list channel under " + CHANNEL_PREFIX + ": "
                + listChannels(), () -> listChannels().isEmpty());
    }

    private static List<String> listChannels() {
        return RedisSentinelBrokerOutageTest.channels(sentinels.masterPort(), CHANNEL_PREFIX + "*").stream()
                .filter(channel -> !Heartbeat.isHeartbeat(channel, CHANNEL_PREFIX)).toList();
    }
}
