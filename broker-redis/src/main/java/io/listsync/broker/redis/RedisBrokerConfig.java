package io.listsync.broker.redis;

import io.listsync.broker.spi.BrokerSettings;
import io.listsync.broker.support.SettingsReader;
import io.lettuce.core.RedisURI;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The validated settings of a {@link RedisListEventBroker}, read from {@code broker.redis.*}.
 *
 * @param uri                 where Redis is, as Lettuce parses it: {@code redis://[user:password@]host[:port][/db]},
 *                            {@code rediss://…} for TLS; setting {@code uri}, default {@value #DEFAULT_URI}
 * @param channelPrefix       prepended to a list id to name its channel; setting {@code channel-prefix}, default
 *                            {@value #DEFAULT_CHANNEL_PREFIX}. Pub/sub channels are global to a Redis server (not per
 *                            database), so give each deployment sharing one Redis its own prefix
 * @param timeout             how long connecting, a publish or a subscription confirmation may take; setting
 *                            {@code timeout}, default 5 seconds
 * @param subscriptionBacklog undelivered events one subscription may hold before newer ones are dropped; setting
 *                            {@code subscription-backlog}, default 1000
 */
public record RedisBrokerConfig(String uri, String channelPrefix, Duration timeout, int subscriptionBacklog) {

    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    public static final String DEFAULT_CHANNEL_PREFIX = "listsync:list:";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_SUBSCRIPTION_BACKLOG = 1_000;

    static final String URI = "uri";
    static final String CHANNEL_PREFIX = "channel-prefix";
    static final String TIMEOUT = "timeout";
    static final String SUBSCRIPTION_BACKLOG = "subscription-backlog";

    /**
     * @throws IllegalArgumentException when a value is invalid; the message names the setting
     */
    public RedisBrokerConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(channelPrefix, "channelPrefix");
        Objects.requireNonNull(timeout, "timeout");
        parse(uri); // validates
        if (channelPrefix.isEmpty() || channelPrefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("broker.redis.channel-prefix is '" + channelPrefix
                    + "'; expected a non-empty value without whitespace");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("broker.redis.timeout is '" + timeout + "'; expected a positive duration");
        }
        if (subscriptionBacklog < 1) {
            throw new IllegalArgumentException("broker.redis.subscription-backlog is '" + subscriptionBacklog
                    + "'; expected at least 1");
        }
    }

    /** The defaults: local Redis, prefix {@value #DEFAULT_CHANNEL_PREFIX}. */
    public static RedisBrokerConfig defaults() {
        return new RedisBrokerConfig(DEFAULT_URI, DEFAULT_CHANNEL_PREFIX, DEFAULT_TIMEOUT, DEFAULT_SUBSCRIPTION_BACKLOG);
    }

    /** Reads {@code broker.redis.*}; unknown keys are rejected so a typo fails at start-up. */
    static RedisBrokerConfig from(BrokerSettings settings) {
        SettingsReader reader = new SettingsReader(RedisListEventBroker.NAME, settings,
                Set.of(URI, CHANNEL_PREFIX, TIMEOUT, SUBSCRIPTION_BACKLOG));
        return new RedisBrokerConfig(
                reader.token(URI, DEFAULT_URI),
                reader.token(CHANNEL_PREFIX, DEFAULT_CHANNEL_PREFIX),
                reader.duration(TIMEOUT, DEFAULT_TIMEOUT),
                reader.intValue(SUBSCRIPTION_BACKLOG, DEFAULT_SUBSCRIPTION_BACKLOG, 1, 1_000_000));
    }

    /** A fresh, mutable Lettuce URI for one connection. */
    RedisURI redisUri() {
        RedisURI parsed = parse(uri);
        parsed.setTimeout(timeout);
        return parsed;
    }

    /** The URI with any password replaced, for messages and logs. */
    String redactedUri() {
        return redact(uri);
    }

    @Override
    public String toString() {
        return "RedisBrokerConfig[uri=" + redactedUri() + ", channelPrefix=" + channelPrefix + ", timeout=" + timeout
                + ", subscriptionBacklog=" + subscriptionBacklog + "]";
    }

    private static RedisURI parse(String uri) {
        String redacted = redact(uri);
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://") && !uri.startsWith("redis-socket://")) {
            throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "'; expected redis://"
                    + "[user:password@]host[:port][/database], or rediss://… for TLS");
        }
        try {
            RedisURI parsed = RedisURI.create(uri);
            if (parsed.getSocket() == null && (parsed.getHost() == null || parsed.getHost().isBlank())) {
                throw new IllegalArgumentException("no host");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "'; " + e.getMessage()
                    + " (expected redis://[user:password@]host[:port][/database], or rediss://… for TLS)", e);
        }
    }

    /** Replaces the password in a URI ({@code user:password@} or {@code password@}), the only secret here. */
    private static String redact(String uri) {
        return uri.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@").replaceAll("//([^:@/]+)@", "//***@");
    }
}
