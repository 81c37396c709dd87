package io.listsync.broker.support;

import io.listsync.broker.ListEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("SubscriberRegistry")
class SubscriberRegistryTest {

    private final ListenerDispatcher dispatcher = new ListenerDispatcher("registry-test-", 10);
    private final SubscriberRegistry registry = new SubscriberRegistry();

    @AfterEach
    void close() {
        dispatcher.close();
    }

    @Test
    @DisplayName("reports a list's first subscription joining and its last one leaving, for reference counting")
    void firstAndLast() {
        ListenerQueue first = dispatcher.open("a", event -> { });
        ListenerQueue second = dispatcher.open("a", event -> { });
        ListenerQueue other = dispatcher.open("b", event -> { });

        assertThat(registry.add(first)).isTrue();
        assertThat(registry.add(second)).isFalse();
        assertThat(registry.add(other)).isTrue();
        assertThat(registry.subscriptions()).isEqualTo(3);
        assertThat(registry.lists()).isEqualTo(2);
        assertThat(registry.listIds()).containsExactlyInAnyOrder("a", "b");

        assertThat(registry.remove(first)).isFalse();
        assertThat(registry.remove(first)).as("removing twice").isFalse();
        assertThat(registry.remove(second)).isTrue();
        assertThat(registry.contains("a")).isFalse();
        assertThat(registry.subscriptions()).isEqualTo(1);
        assertThat(registry.clear()).containsExactly(other);
        assertThat(registry.subscriptions()).isZero();
        assertThat(registry.lists()).isZero();
    }

    @Test
    @DisplayName("offers an event to the subscriptions of its list only and says how many took it")
    void deliver() {
        ListenerQueue a1 = dispatcher.open("a", event -> { });
        ListenerQueue a2 = dispatcher.open("a", event -> { });
        registry.add(a1);
        registry.add(a2);
        registry.add(dispatcher.open("b", event -> { }));

        assertThat(registry.deliver(new ListEvent("a", "t", 1, "{}"))).isEqualTo(2);
        assertThat(registry.deliver(new ListEvent("c", "t", 1, "{}"))).isZero();
        a2.close();
        assertThat(registry.deliver(new ListEvent("a", "t", 2, "{}"))).as("a closed queue refuses").isEqualTo(1);
    }
}
