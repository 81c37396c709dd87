package io.listsync.server.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.util.HashMap;
import java.util.Map;

/**
 * Loads the configuration: {@code application.yaml} on the classpath, overridden by system properties, overridden
 * by the environment variables the contract documents (an explicit table, so {@code REALTIME_PING_INTERVAL} maps
 * to {@code realtime.ping-interval} exactly).
 */
public final class Settings {

    /** Environment variable → configuration key. */
    static final Map<String, String> ENVIRONMENT = Map.ofEntries(
            Map.entry("SERVER_PORT", "server.port"),
            Map.entry("SERVER_HOST", "server.host"),
            Map.entry("SERVER_IDLE_CONNECTION_TIMEOUT", "server.idle-connection-timeout"),
            Map.entry("SERVER_MAX_TCP_CONNECTIONS", "server.max-tcp-connections"),
            Map.entry("SERVER_WARM_UP_CONNECTIONS", "server.warm-up-connections"),
            Map.entry("DATA_DIR", "data.dir"),
            Map.entry("DB_CONNECTION_URL", "db.connection.url"),
            Map.entry("DB_CONNECTION_USERNAME", "db.connection.username"),
            Map.entry("DB_CONNECTION_PASSWORD", "db.connection.password"),
            Map.entry("DB_POOL_SIZE", "db.pool-size"),
            Map.entry("BROKER_TYPE", "broker.type"),
            Map.entry("BROKER_REDIS_MODE", "broker.redis.mode"),
            Map.entry("BROKER_REDIS_URI", "broker.redis.uri"),
            Map.entry("BROKER_REDIS_CHANNEL_PREFIX", "broker.redis.channel-prefix"),
            Map.entry("AUTH_JWT_SECRET", "auth.jwt.secret"),
            Map.entry("AUTH_ACCESS_TOKEN_TTL", "auth.access-token-ttl"),
            Map.entry("AUTH_REFRESH_TOKEN_TTL", "auth.refresh-token-ttl"),
            Map.entry("AUTH_BCRYPT_COST", "auth.bcrypt-cost"),
            Map.entry("REALTIME_PING_INTERVAL", "realtime.ping-interval"),
            Map.entry("REALTIME_ALLOWED_ORIGINS", "realtime.allowed-origins"),
            Map.entry("REALTIME_MAX_SOCKETS_PER_USER", "realtime.max-sockets-per-user"),
            Map.entry("REALTIME_MAX_SOCKETS_PER_ADDRESS", "realtime.max-sockets-per-address"),
            Map.entry("IDEMPOTENCY_RETENTION", "idempotency.retention"));

    private Settings() {
    }

    /** The configuration of a server started from the command line. */
    public static Config load() {
        return load(System.getenv(), Map.of());
    }

    /**
     * @param environment environment variables (only those in the table are read)
     * @param overrides   keys that win over everything, for tests and embedding
     */
    public static Config load(Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> fromEnvironment = new HashMap<>();
        ENVIRONMENT.forEach((variable, key) -> {
            String value = environment.get(variable);
            if (value != null) {
                fromEnvironment.put(key, value);
            }
        });
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(overrides))
                .addSource(ConfigSources.create(fromEnvironment))
                .addSource(ConfigSources.systemProperties())
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }
}
