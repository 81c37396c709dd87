/**
 * The Redis broker ({@code broker.type: redis}): {@link io.listsync.broker.redis.RedisListEventBroker} over Lettuce
 * pub/sub, on one Redis, a master behind Redis Sentinel, or a Redis Cluster with sharded pub/sub
 * ({@link io.listsync.broker.redis.RedisMode}), configured by {@link io.listsync.broker.redis.RedisBrokerConfig}.
 * The {@code Supervisor} keeps one pub/sub connection per node that owns channels, places every channel on its owner,
 * follows failovers and moved slots, and finds deaf connections with a heartbeat.
 */
package io.listsync.broker.redis;
