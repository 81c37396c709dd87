package io.listsync.broker.kit;

import io.listsync.broker.BrokerState;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a networked broker promises when it loses its server and gets it back, as tests: the second half of the
 * contract, for brokers that can be {@link BrokerState#DOWN}. {@link ListEventBrokerContract} is the first; a
 * networked broker extends both (in two classes). An implementation supplies the broker and two hooks that take its
 * server away and bring it back:
 *
 * <pre>{@code
 * class MyBrokerOutageTest extends ListEventBrokerOutageContract {
 *     protected ListEventBroker createBroker() { return MyBroker.start(server.uri()); }
 *     protected void interrupt() { server.kill(); }          // a crash, a failover starting
 *     protected void restore() { server.start(); }           // back, or the failover done
 * }
 * }</pre>
 *
 * <p>The outage may be anything a production broker must survive: the server restarting, a failover to a replica,
 * a shard moving. The tests check what the server relies on: the transitions are reported once each, in order
 * (DOWN means "events may be lost from now on", the next UP means "catch up from your log"), and afterwards every
 * subscription, whether made before, during or never closed, is live again, on this instance and across instances.
 */
public abstract class ListEventBrokerOutageContract {

    /** Creates a new, started broker connected to the server the hooks control. */
    protected abstract ListEventBroker createBroker();

    /** Takes the broker's server away (kill it, start a failover); returns once it is gone. */
    protected abstract void interrupt();

    /** Brings the server back (or lets the failover finish); returns once a client could use it again. */
    protected abstract void restore();

    /** Puts the server back the way the next test expects it, after {@link #restore()}; optional. */
    protected void afterOutage() {
    }

    /**
     * Whether the server still holds a subscription for the list (for example its channel on a Redis server); the
     * default cannot tell and says {@code false}, so networked brokers should override it.
     */
    protected boolean hasRemoteSubscription(String listId) {
        return false;
    }

    /** The longest any single wait may take: long enough for a failover. */
    protected Duration timeout() {
        return Duration.ofSeconds(30);
    }

    private final List<ListEventBroker> brokers = new ArrayList<>();
    private boolean interrupted;

    @BeforeEach
    void noBrokersYet() {
        brokers.clear();
    }

    @AfterEach
    void closeBrokersAndRestore() {
        brokers.forEach(ListEventBroker::close);
        if (interrupted) {
            restore();
        }
        afterOutage();
    }

    private ListEventBroker started() {
        ListEventBroker broker = createBroker();
        brokers.add(broker);
        return broker;
    }

    private void outage() {
        interrupted = true;
        interrupt();
    }

    private void recovery() {
        restore();
        interrupted = false;
    }

    @Test
    @DisplayName("reports DOWN when it loses its server and UP once it is back, each change once and in order")
    void reportsDownThenUp() {
        ListEventBroker broker = started();
        List<BrokerState> states = new CopyOnWriteArrayList<>();
        broker.onStateChange(states::add);
        broker.subscribe(newListId(), event -> { });
        assertThat(broker.state()).isEqualTo(BrokerState.UP);

        outage();
        Await.until(timeout(), () -> "the broker reports DOWN: " + states, () -> states.equals(List.of(
                BrokerState.DOWN)));
        assertThat(broker.state()).isEqualTo(BrokerState.DOWN);
        recovery();

        Await.until(timeout(), () -> "the broker reports DOWN then UP: " + states,
                () -> states.equals(List.of(BrokerState.DOWN, BrokerState.UP)));
        assertThat(broker.state()).isEqualTo(BrokerState.UP);
    }

    @Test
    @DisplayName("once back UP, subscriptions made before and during the outage receive every event, on every instance")
    void subscriptionsWorkAfterRecovery() {
        ListEventBroker broker = started();
        ListEventBroker other = started();
        String before = newListId();
        String during = newListId();
        RecordingListener onBefore = new RecordingListener();
        RecordingListener onOtherBefore = new RecordingListener();
        broker.subscribe(before, onBefore);
        other.subscribe(before, onOtherBefore);

        outage();
        Await.until(timeout(), "both brokers report DOWN", () -> broker.state() == BrokerState.DOWN
                && other.state() == BrokerState.DOWN);
        RecordingListener onDuring = new RecordingListener();
        RecordingListener onOtherDuring = new RecordingListener();
        broker.subscribe(during, onDuring); // recorded now, live once UP
        other.subscribe(during, onOtherDuring);
        recovery();
        Await.until(timeout(), "both brokers report UP", () -> broker.state() == BrokerState.UP
                && other.state() == BrokerState.UP);

        List<ListEvent> fromBroker = List.of(event(before, 1), event(during, 1));
        List<ListEvent> fromOther = List.of(event(before, 2), event(during, 2));
        publish(broker, fromBroker);
        publish(other, fromOther);
        for (RecordingListener listener : List.of(onBefore, onOtherBefore)) {
            assertThat(listener.awaitCount(2, timeout()).events()).containsExactlyInAnyOrder(
                    fromBroker.get(0), fromOther.get(0));
        }
        for (RecordingListener listener : List.of(onDuring, onOtherDuring)) {
            assertThat(listener.awaitCount(2, timeout()).events()).containsExactlyInAnyOrder(
                    fromBroker.get(1), fromOther.get(1));
        }
    }

    @Test
    @DisplayName("a subscription closed during the outage gets nothing after it and leaves nothing on the server")
    void subscriptionClosedDuringOutage() {
        ListEventBroker broker = started();
        String kept = newListId();
        String dropped = newListId();
        RecordingListener onKept = new RecordingListener();
        RecordingListener onDropped = new RecordingListener();
        broker.subscribe(kept, onKept);
        Subscription leaving = broker.subscribe(dropped, onDropped);

        outage();
        Await.until(timeout(), "the broker reports DOWN", () -> broker.state() == BrokerState.DOWN);
        leaving.close();
        recovery();
        Await.until(timeout(), "the broker reports UP", () -> broker.state() == BrokerState.UP);

        ListEvent keptEvent = event(kept, 1);
        publish(broker, List.of(event(dropped, 1), keptEvent));
        assertThat(onKept.awaitCount(1, timeout()).events()).containsExactly(keptEvent);
        assertThat(onDropped.count()).isZero();
        Await.until(timeout(), "the server holds no subscription of the closed list",
                () -> !hasRemoteSubscription(dropped));
        assertThat(broker.stats().subscriptions()).isEqualTo(1);
        assertThat(broker.stats().subscribedLists()).isEqualTo(1);
    }

    /** A list id no other test or run uses. */
    protected static String newListId() {
        return "kit-outage-" + UUID.randomUUID();
    }

    private static ListEvent event(String listId, long version) {
        return new ListEvent(listId, "item_created", version, "{\"version\":" + version + "}");
    }

    private void publish(ListEventBroker broker, List<ListEvent> events) {
        List<CompletableFuture<Void>> sent = events.stream().map(e -> broker.publish(e).toCompletableFuture())
                .toList();
        assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(timeout());
    }
}
