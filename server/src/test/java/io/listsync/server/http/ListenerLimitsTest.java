package io.listsync.server.http;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The listener's limits as an operator configures them (or does not).
 */
class ListenerLimitsTest {

    private static Config server(Map<String, String> settings) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(settings)).build();
    }

    @Test
    @DisplayName("by default: idle connections closed after a minute, 20 s for headers, 30 s for a body, connections below the descriptor limit")
    void defaults() {
        ListenerLimits limits = ListenerLimits.from(server(Map.of()), 16);
        assertThat(limits.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(limits.idlePeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.headerTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(limits.bodyTimeout()).isEqualTo(Duration.ofSeconds(30));
        long descriptors = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assertThat((long) limits.maxTcpConnections()).isEqualTo(descriptors - ListenerLimits.RESERVED_DESCRIPTORS - 16);
    }

    @Test
    @DisplayName("a timeout that is not a positive duration is refused at start-up")
    void positiveTimeouts() {
        for (String key : java.util.List.of("idle-connection-timeout", "request-header-timeout", "request-body-timeout")) {
            assertThatThrownBy(() -> ListenerLimits.from(server(Map.of(key, "PT0S")), 16)).hasMessageContaining(key);
        }
    }

    @Test
    @DisplayName("explicit settings win")
    void explicit() {
        ListenerLimits limits = ListenerLimits.from(server(Map.of("idle-connection-timeout", "PT2M",
                "idle-connection-period", "PT1S", "request-header-timeout", "PT5S", "request-body-timeout", "PT7S",
                "max-tcp-connections", "500")), 16);
        assertThat(limits).isEqualTo(new ListenerLimits(Duration.ofMinutes(2), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(7), 500));
    }
}
