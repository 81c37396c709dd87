package io.listsync.broker;

import java.util.concurrent.CompletionStage;

/**
 * Carries list events from the server instance that committed a change to every instance with a subscriber for
 * that list. The server depends only on this interface; implementations are found through
 * {@link io.listsync.broker.spi.ListEventBrokerProvider} and {@link ListEventBrokers}, or handed to the server directly.
 *
 * <h2>Guarantees every implementation gives</h2>
 * <ul>
 *     <li><b>Delivery: at-most-once.</b> Every subscriber of a list receives each event published for that list
 *     while both are connected exactly once; an event published while the broker is {@link BrokerState#DOWN} may
 *     be lost. Durability is the server's job (its event log), not the broker's.</li>
 *     <li><b>Isolation:</b> a subscriber receives only events of the list it subscribed to.</li>
 *     <li><b>Order:</b> per list, events from one publisher arrive in the order they were published. There is no
 *     order across lists, and none between different publishers.</li>
 *     <li><b>Threading:</b> listeners are called on the broker's own dispatch threads, never on the publisher's
 *     thread and never on a network I/O thread; calls to one listener never overlap.</li>
 *     <li><b>Isolation of listeners:</b> a listener that throws is logged and keeps its subscription; a listener that
 *     is slow delays only itself. Each subscription has a bounded backlog; events beyond it are dropped for that
 *     subscription and counted ({@link BrokerStats#dropped()}), never buffered without bound. A drop shows up at the
 *     listener as a gap in {@link ListEvent#version()}.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe. The contract test kit ({@code io.listsync.broker.kit.ListEventBrokerContract}
 * in this module's test-jar) checks all of the above.
 */
public interface ListEventBroker extends AutoCloseable {

    /**
     * Publishes an event to every subscriber of {@code event.listId()} on every instance.
     *
     * <p>Never blocks on the network. Dependent stages must not block either: they may run on a broker thread.
     *
     * @param event the event
     * @return completes when the broker has accepted the event for delivery (for a networked broker: the remote
     *         server acknowledged it), or completes exceptionally (with a {@link BrokerException} or, after
     *         {@link #close()}, an {@link IllegalStateException}) when it could not; failures are never swallowed
     */
    CompletionStage<Void> publish(ListEvent event);

    /**
     * Subscribes a listener to one list. While the broker is {@link BrokerState#UP} the subscription is active
     * when this method returns: every event published after that reaches the listener. While it is
     * {@link BrokerState#DOWN} the subscription is recorded and becomes active when the broker is back up (the
     * transition to UP tells the caller that events may have been missed meanwhile).
     *
     * <p>Any number of listeners may subscribe to the same list, and the same listener to several lists; each
     * call makes a separate subscription with its own backlog. Listeners are called as described on
     * {@link ListEventListener}: on broker threads, in order, never overlapping, a throw logged and counted, a
     * full backlog dropping that subscription's newest events.
     *
     * @param listId   the list
     * @param listener called for each event of the list
     * @return the subscription; closing it stops delivery
     * @throws IllegalStateException after {@link #close()}
     * @throws BrokerException       when the remote server refused the subscription (nothing is left subscribed)
     */
    Subscription subscribe(String listId, ListEventListener listener);

    /**
     * The broker's current connection state, for health checks and metrics. A broker that cannot lose its
     * connection is always {@link BrokerState#UP} until closed.
     */
    BrokerState state();

    /**
     * Registers a listener for connection state changes: every change after registration is reported once, in
     * the order the changes happened, on a broker thread. A broker that cannot lose its connection (in-memory)
     * never calls it.
     *
     * @param listener called on each change
     */
    void onStateChange(BrokerStateListener listener);

    /**
     * A snapshot of this broker's counters and gauges. Cheap; metrics may poll it.
     */
    BrokerStats stats();

    /**
     * A short name for logs, health and metrics, for example {@code redis} or {@code inmemory}.
     */
    String name();

    /**
     * Stops delivery, closes every subscription and releases every thread and connection the broker holds; a
     * listener call still running is interrupted and given a few seconds to return. Afterwards {@link #publish}
     * fails and {@link #subscribe} throws {@link IllegalStateException}. Idempotent.
     */
    @Override
    void close();
}
