package io.listsync.broker.redis;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.spi.BrokerSettings;
import io.listsync.broker.spi.ListEventBrokerProvider;

/**
 * Provides the {@link RedisListEventBroker} as {@code broker.type: redis}. Settings under {@code broker.redis}:
 * {@code mode}, {@code uri}, {@code channel-prefix}, {@code timeout}, {@code subscription-backlog},
 * {@code heartbeat-interval}, {@code heartbeat-timeout} (see {@link RedisBrokerConfig}).
 */
public final class RedisBrokerProvider implements ListEventBrokerProvider {

    @Override
    public String name() {
        return RedisListEventBroker.NAME;
    }

    /**
     * @throws IllegalArgumentException when a setting is invalid
     * @throws io.listsync.broker.BrokerException when Redis is reachable but cannot work with these settings (when it
     *                                            cannot be reached the broker starts DOWN and connects later)
     */
    @Override
    public ListEventBroker create(BrokerSettings settings) {
        return RedisListEventBroker.start(RedisBrokerConfig.from(settings));
    }
}
