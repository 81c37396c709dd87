/**
 * The Redis broker ({@code broker.type: redis}): {@link io.listsync.broker.redis.RedisListEventBroker} over Lettuce
 * pub/sub, configured by {@link io.listsync.broker.redis.RedisBrokerConfig}.
 */
package io.listsync.broker.redis;
