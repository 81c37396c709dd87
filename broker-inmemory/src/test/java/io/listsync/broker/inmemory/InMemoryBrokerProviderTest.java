package io.listsync.broker.inmemory;

import io.listsync.broker.BrokerState;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.spi.BrokerSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The in-memory broker provider")
class InMemoryBrokerProviderTest {

    @Test
    @DisplayName("is found by ServiceLoader under the name inmemory")
    void foundByName() {
        try (ListEventBroker broker = ListEventBrokers.create("inmemory", BrokerSettings.empty())) {
            assertThat(broker).isInstanceOf(InMemoryListEventBroker.class);
            assertThat(broker.name()).isEqualTo("inmemory");
            assertThat(broker.state()).isEqualTo(BrokerState.UP);
        }
    }

    @Test
    @DisplayName("rejects an invalid backlog and unknown settings with messages naming them")
    void validatesSettings() {
        assertThatThrownBy(() -> create(Map.of("subscription-backlog", "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("broker.inmemory.subscription-backlog is '-1'; expected an integer from 1 to 1000000");
        assertThatThrownBy(() -> create(Map.of("uri", "redis://localhost")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broker.inmemory.uri");
    }

    private static void create(Map<String, String> settings) {
        new InMemoryBrokerProvider().create(new BrokerSettings(settings)).close();
    }
}
