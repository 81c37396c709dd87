package io.listsync.broker;

import io.listsync.broker.spi.BrokerSettings;
import io.listsync.broker.spi.ListEventBrokerProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("ListEventBrokers")
class ListEventBrokersTest {

    @Test
    @DisplayName("creates the broker whose provider is registered under the configured name")
    void createsByName() {
        try (ListEventBroker broker = ListEventBrokers.create("toy", BrokerSettings.empty())) {
            assertThat(broker.name()).isEqualTo("toy");
            assertThat(broker.getClass().getName()).isEqualTo("io.listsync.broker.toy.ToyBroker");
        }
    }

    @Test
    @DisplayName("an unknown name fails with the names that are available")
    void unknownNameListsAvailableNames() {
        assertThatThrownBy(() -> ListEventBrokers.create("kafka", BrokerSettings.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No broker named 'kafka' (broker.type); available: [toy]");
    }

    @Test
    @DisplayName("the available names are sorted and listed once each")
    void availableNamesAreSorted() {
        assertThatThrownBy(() -> ListEventBrokers.provider("nats",
                List.of(provider("redis"), provider("inmemory"), provider("toy"))))
                .hasMessage("No broker named 'nats' (broker.type); available: [inmemory, redis, toy]");
    }

    @Test
    @DisplayName("two providers with the same name fail instead of one being picked silently")
    void duplicateNamesFail() {
        assertThatThrownBy(() -> ListEventBrokers.provider("redis", List.of(provider("redis"), provider("redis"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("More than one broker provider is named 'redis'");
    }

    @Test
    @DisplayName("a registered provider that cannot be loaded is skipped, not fatal for the others")
    void brokenProviderIsSkipped(@TempDir Path classes) throws IOException {
        Path services = classes.resolve("META-INF/services/" + ListEventBrokerProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, "com.example.MissingBrokerProvider\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()},
                getClass().getClassLoader())) {
            List<ListEventBrokerProvider> providers = ListEventBrokers.providers(
                    ServiceLoader.load(ListEventBrokerProvider.class, loader));

            assertThat(providers).extracting(ListEventBrokerProvider::name).containsExactly("toy");
        }
    }

    private static ListEventBrokerProvider provider(String name) {
        return new ListEventBrokerProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ListEventBroker create(BrokerSettings settings) {
                throw new UnsupportedOperationException("not created in this test");
            }
        };
    }
}
