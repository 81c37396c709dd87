package io.listsync.broker.redis;

import java.time.Duration;

/** Broker settings for the tests' throw-away Redis set-ups. */
final class RedisTestConfigs {

    /** A heartbeat fast enough that a deaf connection is found within a test's patience. */
    static final Duration FAST_HEARTBEAT = Duration.ofMillis(200);
    static final Duration FAST_HEARTBEAT_TIMEOUT = Duration.ofMillis(1500);

    private RedisTestConfigs() {
    }

    static RedisBrokerConfig standalone(String uri, String channelPrefix) {
        return LocalRedis.config(uri, channelPrefix);
    }

    static RedisBrokerConfig cluster(ThrowawayRedisCluster cluster, String channelPrefix) {
        return LocalRedis.config(LocalRedis.URI, channelPrefix).withMode(RedisMode.CLUSTER, cluster.uri());
    }

    static RedisBrokerConfig sentinel(ThrowawayRedisSentinels sentinels, String channelPrefix) {
        return LocalRedis.config(LocalRedis.URI, channelPrefix).withMode(RedisMode.SENTINEL, sentinels.uri());
    }

    static RedisBrokerConfig fastHeartbeat(RedisBrokerConfig config) {
        return config.withHeartbeat(FAST_HEARTBEAT, FAST_HEARTBEAT_TIMEOUT);
    }
}
