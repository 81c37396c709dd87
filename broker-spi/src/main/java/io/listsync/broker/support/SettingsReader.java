package io.listsync.broker.support;

import io.listsync.broker.spi.BrokerSettings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a broker's {@link BrokerSettings} with precise errors: every message names the full setting
 * ({@code broker.<name>.<key>}), the value given and what is expected, so a typo fails at start-up, not at the first
 * publish.
 */
public final class SettingsReader {

    private final String section;
    private final BrokerSettings settings;

    /**
     * @param brokerName the provider name, used to name settings in messages
     * @param settings   the broker's settings
     * @param knownKeys  every key this broker reads
     * @throws IllegalArgumentException when a key is not one of {@code knownKeys}; the message lists the known ones
     */
    public SettingsReader(String brokerName, BrokerSettings settings, Set<String> knownKeys) {
        this.section = "broker." + brokerName + ".";
        this.settings = settings;
        Set<String> unknown = new TreeSet<>(settings.values().keySet());
        unknown.removeAll(knownKeys);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown setting(s) " + unknown.stream().map(k -> section + k).toList()
                    + "; the " + brokerName + " broker knows " + new TreeSet<>(knownKeys).stream()
                    .map(k -> section + k).toList());
        }
    }

    /** The full name of a setting, for messages: {@code broker.<name>.<key>}. */
    public String fullName(String key) {
        return section + key;
    }

    /** A text setting that must not be blank nor contain whitespace. */
    public String token(String key, String defaultValue) {
        String value = settings.get(key, defaultValue);
        if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
            throw invalid(key, value, "a non-empty value without whitespace");
        }
        return value;
    }

    /** An integer setting within {@code [min, max]}. */
    public int intValue(String key, int defaultValue, int min, int max) {
        String text = settings.get(key).orElse(null);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected range
        }
        throw invalid(key, text, "an integer from " + min + " to " + max);
    }

    /** A positive duration setting in ISO-8601 form ({@code PT5S}) or as milliseconds ({@code 5000}). */
    public Duration duration(String key, Duration defaultValue) {
        String text = settings.get(key).orElse(null);
        if (text == null) {
            return defaultValue;
        }
        Duration value = null;
        try {
            String trimmed = text.strip();
            value = trimmed.chars().allMatch(Character::isDigit) && !trimmed.isEmpty()
                    ? Duration.ofMillis(Long.parseLong(trimmed))
                    : Duration.parse(trimmed);
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below with the expected form
        }
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(key, text, "a positive duration such as PT5S or a number of milliseconds");
        }
        return value;
    }

    /** An error about one setting, in the same words as the others. */
    public IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException(fullName(key) + " is '" + value + "'; expected " + expected);
    }
}
