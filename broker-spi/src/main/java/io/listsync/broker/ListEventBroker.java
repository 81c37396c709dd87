package io.listsync.broker;

import java.util.concurrent.CompletionStage;

/**
 * Carries list events from the server instance that committed a change to every instance with a subscriber for
 * that list. The server depends only on this interface; implementations are found through
 * {@link io.listsync.broker.spi.ListEventBrokerProvider} and {@link ListEventBrokers}.
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
 *     subscription and counted, never buffered without bound.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface ListEventBroker extends AutoCloseable {

    /**
     * Publishes an event to every subscriber of {@code event.listId()} on every instance.
     *
     * @param event the event
     * @return completes when the broker has accepted the event for delivery (for a networked broker: the remote
     *         server acknowledged it), or completes exceptionally when it could not; failures are never swallowed
     */
    CompletionStage<Void> publish(ListEvent event);

    /**
     * Subscribes a listener to one list. The subscription is active when this method returns: every event
     * published after that (and while the broker is up) reaches the listener.
     *
     * @param listId   the list
     * @param listener called for each event of the list
     * @return the subscription; closing it stops delivery
     */
    Subscription subscribe(String listId, ListEventListener listener);

    /**
     * The broker's current connection state, for health checks and metrics.
     */
    BrokerState state();

    /**
     * Registers a listener for connection state changes. A broker that cannot lose its connection (in-memory)
     * never calls it.
     *
     * @param listener called on each change
     */
    void onStateChange(BrokerStateListener listener);

    /**
     * A short name for logs, health and metrics, for example {@code redis} or {@code inmemory}.
     */
    String name();

    /**
     * Stops delivery, closes every subscription and releases every thread and connection the broker holds.
     * Publishing after close fails. Idempotent.
     */
    @Override
    void close();
}
