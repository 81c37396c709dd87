package io.listsync.broker.redis;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the Redis broker finds Redis ({@code broker.redis.mode}).
 */
public enum RedisMode {
    /** One Redis server (or a proxy in front of one): classic {@code PUBLISH}/{@code SUBSCRIBE}. */
    STANDALONE,
    /**
     * A Redis Cluster (7.0+): sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}), so an event travels only within
     * the shard that owns its channel's slot; one pub/sub connection per shard.
     */
    CLUSTER,
    /** A master found through Redis Sentinel, followed through failovers. */
    SENTINEL;

    /** The name used in configuration: {@code standalone}, {@code cluster}, {@code sentinel}. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the setting and the values it takes
     */
    static RedisMode parse(String value) {
        for (RedisMode mode : values()) {
            if (mode.settingValue().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("broker.redis.mode is '" + value + "'; expected one of "
                + Arrays.stream(values()).map(RedisMode::settingValue).toList());
    }
}
