package io.listsync.broker.support;

import io.listsync.broker.spi.BrokerSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("SettingsReader")
class SettingsReaderTest {

    private static final Set<String> KNOWN = Set.of("uri", "subscription-backlog", "timeout");

    @Test
    @DisplayName("an unknown key fails naming it and the keys the broker knows")
    void unknownKey() {
        assertThatThrownBy(() -> reader(Map.of("channel_prefix", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown setting(s) [broker.redis.channel_prefix]; the redis broker knows "
                        + "[broker.redis.subscription-backlog, broker.redis.timeout, broker.redis.uri]");
    }

    @Test
    @DisplayName("defaults apply to missing keys and given values are parsed")
    void defaultsAndValues() {
        SettingsReader empty = reader(Map.of());
        assertThat(empty.intValue("subscription-backlog", 1000, 1, 10)).isEqualTo(1000);
        assertThat(empty.duration("timeout", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));

        SettingsReader given = reader(Map.of("subscription-backlog", " 7 ", "timeout", "PT0.25S", "uri", "a:b"));
        assertThat(given.intValue("subscription-backlog", 1000, 1, 10)).isEqualTo(7);
        assertThat(given.duration("timeout", Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(250));
        assertThat(given.token("uri", "x")).isEqualTo("a:b");
        assertThat(reader(Map.of("timeout", "1500")).duration("timeout", Duration.ZERO))
                .isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    @DisplayName("an invalid value fails naming the full setting, the value and what is expected")
    void invalidValues() {
        assertThatThrownBy(() -> reader(Map.of("subscription-backlog", "0")).intValue("subscription-backlog", 5, 1, 9))
                .hasMessage("broker.redis.subscription-backlog is '0'; expected an integer from 1 to 9");
        assertThatThrownBy(() -> reader(Map.of("subscription-backlog", "lots")).intValue("subscription-backlog", 5, 1,
                9)).hasMessage("broker.redis.subscription-backlog is 'lots'; expected an integer from 1 to 9");
        assertThatThrownBy(() -> reader(Map.of("timeout", "5s")).duration("timeout", Duration.ZERO))
                .hasMessage("broker.redis.timeout is '5s'; expected a positive duration such as PT5S or a number of"
                        + " milliseconds");
        assertThatThrownBy(() -> reader(Map.of("timeout", "PT0S")).duration("timeout", Duration.ZERO))
                .hasMessageContaining("is 'PT0S'");
        assertThatThrownBy(() -> reader(Map.of("uri", "a b")).token("uri", "x"))
                .hasMessage("broker.redis.uri is 'a b'; expected a non-empty value without whitespace");
    }

    private static SettingsReader reader(Map<String, String> values) {
        return new SettingsReader("redis", new BrokerSettings(values), KNOWN);
    }
}
