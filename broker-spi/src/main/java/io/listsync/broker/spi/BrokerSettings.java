package io.listsync.broker.spi;

import java.util.Map;
import java.util.Optional;

/**
 * The configuration of one broker: the flat keys under {@code broker.<name>} (for Redis, {@code uri} and
 * {@code channel-prefix}), free of any configuration library's types.
 *
 * @param values the keys relative to the broker's section, for example {@code uri}
 */
public record BrokerSettings(Map<String, String> values) {

    public BrokerSettings {
        values = Map.copyOf(values);
    }

    /** Settings with no keys: every broker falls back to its defaults. */
    public static BrokerSettings empty() {
        return new BrokerSettings(Map.of());
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }
}
