package io.listsync.broker.inmemory;

import io.listsync.broker.BrokerState;
import io.listsync.broker.BrokerStateListener;
import io.listsync.broker.BrokerStats;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventListener;
import io.listsync.broker.Subscription;
import io.listsync.broker.support.ListenerDispatcher;
import io.listsync.broker.support.ListenerQueue;
import io.listsync.broker.support.QueueSubscription;
import io.listsync.broker.support.SubscriberRegistry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * A broker inside one JVM. <b>Single node only:</b> events never leave this process, so run exactly one server
 * instance with it; a cluster needs a networked broker such as {@code redis}.
 *
 * <p>{@link #publish} hands the event to the bounded queue of every subscription of its list on the caller's thread
 * (never blocking) and completes at once; listeners run on virtual threads named
 * {@code listsync-inmemory-dispatch-<n>}, one call at a time per subscription. It cannot lose a connection, so it
 * is always {@link BrokerState#UP} and never calls state listeners.
 */
public final class InMemoryListEventBroker implements ListEventBroker {

    static final String NAME = "inmemory";

    private final ListenerDispatcher dispatcher;
    private final SubscriberRegistry registry = new SubscriberRegistry();
    private final LongAdder published = new LongAdder();
    private volatile boolean closed;

    /**
     * @param subscriptionBacklog how many undelivered events one subscription may hold before newer ones are dropped
     */
    public InMemoryListEventBroker(int subscriptionBacklog) {
        this.dispatcher = new ListenerDispatcher("listsync-" + NAME + "-dispatch-", subscriptionBacklog);
    }

    @Override
    public CompletionStage<Void> publish(ListEvent event) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("The in-memory broker is closed"));
        }
        registry.deliver(event);
        published.increment();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription subscribe(String listId, ListEventListener listener) {
        ListenerQueue queue = dispatcher.open(listId, listener);
        registry.add(queue);
        if (closed) { // closed while we registered: undo, so close() leaves nothing behind
            registry.remove(queue);
            queue.close();
            throw new IllegalStateException("The in-memory broker is closed");
        }
        return new QueueSubscription(queue, registry::remove);
    }

    @Override
    public BrokerState state() {
        return BrokerState.UP;
    }

    @Override
    public void onStateChange(BrokerStateListener listener) {
        // Never loses a connection, so never changes state.
    }

    @Override
    public BrokerStats stats() {
        return new BrokerStats(published.sum(), 0, dispatcher.delivered(), dispatcher.dropped(), dispatcher.failures(),
                registry.subscriptions(), registry.lists());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void close() {
        closed = true;
        registry.clear().forEach(ListenerQueue::close);
        dispatcher.close();
    }
}
