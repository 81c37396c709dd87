package io.listsync.broker.redis;

import io.listsync.broker.spi.BrokerSettings;
import io.listsync.broker.support.SettingsReader;
import io.lettuce.core.RedisURI;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The validated settings of a {@link RedisListEventBroker}, read from {@code broker.redis.*}.
 *
 * @param mode                how Redis is found; setting {@code mode}, default {@code standalone}
 * @param uri                 where Redis is, as Lettuce parses it. {@code standalone}:
 *                            {@code redis://[user:password@]host[:port][/db]}, {@code rediss://…} for TLS.
 *                            {@code cluster}: comma-separated seed nodes {@code redis://h1:7001,redis://h2:7002}.
 *                            {@code sentinel}: {@code redis-sentinel://[password@]h1:26379,h2:26379[/db]#master}.
 *                            Setting {@code uri}, default {@value #DEFAULT_URI}
 * @param channelPrefix       prepended to a list id to name its channel; setting {@code channel-prefix}, default
 *                            {@value #DEFAULT_CHANNEL_PREFIX}. Pub/sub channels are global to a Redis server (not per
 *                            database), so give each deployment sharing one Redis its own prefix
 * @param timeout             how long connecting, a publish or a subscription confirmation may take; setting
 *                            {@code timeout}, default 5 seconds
 * @param subscriptionBacklog undelivered events one subscription may hold before newer ones are dropped; setting
 *                            {@code subscription-backlog}, default 1000
 * @param heartbeatInterval   how often the broker publishes a heartbeat to itself on each of its pub/sub
 *                            connections; setting {@code heartbeat-interval}, default 1 second
 * @param heartbeatTimeout    how long a connection that claims to be up may go without hearing its heartbeat before
 *                            the broker calls it deaf, reports DOWN and re-subscribes; setting
 *                            {@code heartbeat-timeout}, default 5 seconds; longer than the interval
 */
public record RedisBrokerConfig(RedisMode mode, String uri, String channelPrefix, Duration timeout,
                                int subscriptionBacklog, Duration heartbeatInterval, Duration heartbeatTimeout) {

    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    public static final String DEFAULT_CHANNEL_PREFIX = "listsync:list:";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_SUBSCRIPTION_BACKLOG = 1_000;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);

    static final String MODE = "mode";
    static final String URI = "uri";
    static final String CHANNEL_PREFIX = "channel-prefix";
    static final String TIMEOUT = "timeout";
    static final String SUBSCRIPTION_BACKLOG = "subscription-backlog";
    static final String HEARTBEAT_INTERVAL = "heartbeat-interval";
    static final String HEARTBEAT_TIMEOUT = "heartbeat-timeout";

    private static final String STANDALONE_FORM = "redis://[user:password@]host[:port][/database], or rediss://… for"
            + " TLS";
    private static final String CLUSTER_FORM = "comma-separated seed nodes redis://[user:password@]host:port,"
            + "redis://host:port (rediss:// for TLS)";
    private static final String SENTINEL_FORM = "redis-sentinel://[password@]host:port[,host:port…][/database]"
            + "#masterName (rediss-sentinel:// for TLS)";

    /**
     * @throws IllegalArgumentException when a value is invalid; the message names the setting
     */
    public RedisBrokerConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(channelPrefix, "channelPrefix");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        parse(mode, uri); // validates
        if (channelPrefix.isEmpty() || channelPrefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("broker.redis.channel-prefix is '" + channelPrefix
                    + "'; expected a non-empty value without whitespace");
        }
        if (mode == RedisMode.CLUSTER && (channelPrefix.indexOf('{') >= 0 || channelPrefix.indexOf('}') >= 0)) {
            throw new IllegalArgumentException("broker.redis.channel-prefix is '" + channelPrefix + "'; in cluster"
                    + " mode it must not contain '{' or '}': a hash tag would put every list on the same shard");
        }
        requirePositive(TIMEOUT, timeout);
        requirePositive(HEARTBEAT_INTERVAL, heartbeatInterval);
        requirePositive(HEARTBEAT_TIMEOUT, heartbeatTimeout);
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("broker.redis.heartbeat-timeout is '" + heartbeatTimeout
                    + "'; expected longer than broker.redis.heartbeat-interval ('" + heartbeatInterval
                    + "'), so that a heartbeat can arrive in time");
        }
        if (subscriptionBacklog < 1) {
            throw new IllegalArgumentException("broker.redis.subscription-backlog is '" + subscriptionBacklog
                    + "'; expected at least 1");
        }
    }

    /** A standalone configuration with the default heartbeat. */
    public RedisBrokerConfig(String uri, String channelPrefix, Duration timeout, int subscriptionBacklog) {
        this(RedisMode.STANDALONE, uri, channelPrefix, timeout, subscriptionBacklog, DEFAULT_HEARTBEAT_INTERVAL,
                DEFAULT_HEARTBEAT_TIMEOUT);
    }

    /** The defaults: local Redis, prefix {@value #DEFAULT_CHANNEL_PREFIX}. */
    public static RedisBrokerConfig defaults() {
        return new RedisBrokerConfig(DEFAULT_URI, DEFAULT_CHANNEL_PREFIX, DEFAULT_TIMEOUT, DEFAULT_SUBSCRIPTION_BACKLOG);
    }

    /** The same settings in another mode with another URI. */
    public RedisBrokerConfig withMode(RedisMode newMode, String newUri) {
        return new RedisBrokerConfig(newMode, newUri, channelPrefix, timeout, subscriptionBacklog, heartbeatInterval,
                heartbeatTimeout);
    }

    /** The same settings with another heartbeat. */
    public RedisBrokerConfig withHeartbeat(Duration interval, Duration deadline) {
        return new RedisBrokerConfig(mode, uri, channelPrefix, timeout, subscriptionBacklog, interval, deadline);
    }

    /** Reads {@code broker.redis.*}; unknown keys are rejected so a typo fails at start-up. */
    static RedisBrokerConfig from(BrokerSettings settings) {
        SettingsReader reader = new SettingsReader(RedisListEventBroker.NAME, settings,
                Set.of(MODE, URI, CHANNEL_PREFIX, TIMEOUT, SUBSCRIPTION_BACKLOG, HEARTBEAT_INTERVAL,
                        HEARTBEAT_TIMEOUT));
        return new RedisBrokerConfig(
                RedisMode.parse(settings.get(MODE, RedisMode.STANDALONE.settingValue())),
                reader.token(URI, DEFAULT_URI),
                reader.token(CHANNEL_PREFIX, DEFAULT_CHANNEL_PREFIX),
                reader.duration(TIMEOUT, DEFAULT_TIMEOUT),
                reader.intValue(SUBSCRIPTION_BACKLOG, DEFAULT_SUBSCRIPTION_BACKLOG, 1, 1_000_000),
                reader.duration(HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL),
                reader.duration(HEARTBEAT_TIMEOUT, DEFAULT_HEARTBEAT_TIMEOUT));
    }

    /** The node of a standalone configuration: a fresh, mutable Lettuce URI for one connection. */
    RedisURI redisUri() {
        return withTimeout(parse(mode, uri).getFirst());
    }

    /** The seed nodes of a cluster configuration, fresh and mutable. */
    List<RedisURI> seedUris() {
        return parse(mode, uri).stream().map(this::withTimeout).toList();
    }

    /** The sentinels and master name of a sentinel configuration, fresh and mutable. */
    RedisURI sentinelUri() {
        return withTimeout(parse(mode, uri).getFirst());
    }

    /** The URI with any password replaced, for messages and logs. */
    String redactedUri() {
        return redact(uri);
    }

    /** A URI with the password replaced, for messages and logs. */
    static String redacted(RedisURI uri) {
        return redact(uri.toString());
    }

    @Override
    public String toString() {
        return "RedisBrokerConfig[mode=" + mode.settingValue() + ", uri=" + redactedUri() + ", channelPrefix="
                + channelPrefix + ", timeout=" + timeout + ", subscriptionBacklog=" + subscriptionBacklog
                + ", heartbeat=" + heartbeatInterval + "/" + heartbeatTimeout + "]";
    }

    private RedisURI withTimeout(RedisURI parsed) {
        parsed.setTimeout(timeout);
        return parsed;
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("broker.redis." + key + " is '" + value
                    + "'; expected a positive duration");
        }
    }

    private static List<RedisURI> parse(RedisMode mode, String uri) {
        String redacted = redact(uri);
        boolean sentinelScheme = uri.startsWith("redis-sentinel://") || uri.startsWith("rediss-sentinel://");
        return switch (mode) {
            case STANDALONE -> {
                if (sentinelScheme) {
                    throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "', a Sentinel URI;"
                            + " set broker.redis.mode=sentinel, or give " + STANDALONE_FORM);
                }
                if (uri.contains(",")) {
                    throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "', a list of nodes,"
                            + " which only broker.redis.mode=cluster takes (as Redis Cluster seeds); standalone"
                            + " mode expects one " + STANDALONE_FORM);
                }
                yield List.of(node(uri, redacted, "broker.redis.uri is '" + redacted + "'", STANDALONE_FORM, true));
            }
            case CLUSTER -> {
                if (sentinelScheme) {
                    throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "', a Sentinel URI;"
                            + " set broker.redis.mode=sentinel, or give " + CLUSTER_FORM);
                }
                List<RedisURI> seeds = new ArrayList<>();
                for (String seed : uri.split(",", -1)) {
                    String redactedSeed = redact(seed.strip());
                    seeds.add(node(seed.strip(), redactedSeed, "broker.redis.uri has the seed '" + redactedSeed
                            + "'", CLUSTER_FORM, false));
                }
                yield List.copyOf(seeds);
            }
            case SENTINEL -> {
                if (!sentinelScheme) {
                    throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "'; broker.redis.mode="
                            + "sentinel expects " + SENTINEL_FORM);
                }
                if (uri.indexOf('#') < 0 || uri.endsWith("#")) {
                    throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "'; it names no master"
                            + " (add #masterName, the name the sentinels monitor; expected " + SENTINEL_FORM + ")");
                }
                RedisURI parsed;
                try {
                    parsed = RedisURI.create(uri);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "'; " + e.getMessage()
                            + " (expected " + SENTINEL_FORM + ")", e);
                }
                if (parsed.getSentinels().isEmpty()) {
                    throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "'; it names no"
                            + " sentinel (expected " + SENTINEL_FORM + ")");
                }
                if (parsed.getSentinelMasterId() == null || parsed.getSentinelMasterId().isBlank()) {
                    throw new IllegalArgumentException("broker.redis.uri is '" + redacted + "'; it names no master"
                            + " (add #masterName, the name the sentinels monitor; expected " + SENTINEL_FORM + ")");
                }
                yield List.of(parsed);
            }
        };
    }

    private static RedisURI node(String uri, String redacted, String what, String form, boolean socketAllowed) {
        boolean scheme = uri.startsWith("redis://") || uri.startsWith("rediss://")
                || (socketAllowed && uri.startsWith("redis-socket://"));
        if (!scheme) {
            throw new IllegalArgumentException(what + "; expected " + form);
        }
        try {
            RedisURI parsed = RedisURI.create(uri);
            if (parsed.getSocket() == null && (parsed.getHost() == null || parsed.getHost().isBlank())) {
                throw new IllegalArgumentException("no host");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + "; " + e.getMessage() + " (expected " + form + ")", e);
        }
    }

    /** Replaces the password in a URI ({@code user:password@} or {@code password@}), the only secret here. */
    private static String redact(String uri) {
        return uri.replaceAll("//([^:@/,]*):[^@/,]*@", "//$1:***@").replaceAll("//([^:@/,]+)@", "//***@");
    }
}
