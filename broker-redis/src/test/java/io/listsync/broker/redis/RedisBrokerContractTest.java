package io.listsync.broker.redis;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.kit.Await;
import io.listsync.broker.kit.ListEventBrokerContract;
import io.listsync.broker.spi.BrokerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

import java.util.Map;

/**
 * The whole contract against the real Redis on 127.0.0.1:6379, through {@code ListEventBrokers.create("redis")}
 * exactly as the server creates it. Each run uses its own channel prefix.
 */
@DisplayName("The Redis broker keeps the broker contract against a real Redis")
class RedisBrokerContractTest extends ListEventBrokerContract {

    private static final String CHANNEL_PREFIX = LocalRedis.uniqueChannelPrefix();
    private static LocalRedis redis;

    @BeforeAll
    static void connect() {
        redis = new LocalRedis(LocalRedis.URI);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Override
    protected ListEventBroker createBroker() {
        return ListEventBrokers.create("redis", new BrokerSettings(Map.of(
                "uri", LocalRedis.URI, "channel-prefix", CHANNEL_PREFIX)));
    }

    @Override
    protected void assertNoRemoteSubscriptionsLeft() {
        Await.until(timeout(), () -> "Redis has no list channel left under " + CHANNEL_PREFIX + ": "
                + redis.listChannels(CHANNEL_PREFIX).size(), () -> redis.listChannels(CHANNEL_PREFIX).isEmpty());
    }
}
