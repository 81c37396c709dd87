package io.listsync.broker.toy;

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
 * A third-party broker written only against broker-spi, the way a library user would: it proves the SPI, the
 * ServiceLoader lookup and the contract kit are enough on their own. Same-JVM only.
 */
final class ToyBroker implements ListEventBroker {

    private final ListenerDispatcher dispatcher = new ListenerDispatcher("toy-broker-dispatch-", 1_000);
    private final SubscriberRegistry registry = new SubscriberRegistry();
    private final LongAdder published = new LongAdder();
    private volatile boolean closed;

    @Override
    public CompletionStage<Void> publish(ListEvent event) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("The toy broker is closed"));
        }
        registry.deliver(event);
        published.increment();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription subscribe(String listId, ListEventListener listener) {
        ListenerQueue queue = dispatcher.open(listId, listener);
        registry.add(queue);
        return new QueueSubscription(queue, registry::remove);
    }

    @Override
    public BrokerState state() {
        return BrokerState.UP;
    }

    @Override
    public void onStateChange(BrokerStateListener listener) {
        // Never down: nothing to report.
    }

    @Override
    public BrokerStats stats() {
        return new BrokerStats(published.sum(), 0, dispatcher.delivered(), dispatcher.dropped(), dispatcher.failures(),
                registry.subscriptions(), registry.lists());
    }

    @Override
    public String name() {
        return "toy";
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.close();
        registry.clear();
    }
}
