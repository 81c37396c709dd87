package io.listsync.broker.redis;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.kit.ListEventBrokerOutageContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

import java.util.List;

/** The outage half of the contract on one Redis: the outage is the server killed with SIGKILL and started again. */
@DisplayName("The Redis broker through a restart of its Redis")
class RedisStandaloneBrokerOutageTest extends ListEventBrokerOutageContract {

    private static final String CHANNEL_PREFIX = LocalRedis.uniqueChannelPrefix();
    private static ThrowawayRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = ThrowawayRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected ListEventBroker createBroker() {
        return RedisListEventBroker.start(RedisTestConfigs.standalone(redis.uri(), CHANNEL_PREFIX));
    }

    @Override
    protected void interrupt() {
        redis.kill();
    }

    @Override
    protected void restore() {
        if (!redis.isRunning()) {
            redis.startAgain();
        }
    }

    @Override
    protected boolean hasRemoteSubscription(String listId) {
        try (LocalRedis admin = new LocalRedis(redis.uri())) {
            return admin.channels(CHANNEL_PREFIX + listId).equals(List.of(CHANNEL_PREFIX + listId));
        }
    }
}
