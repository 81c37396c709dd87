package io.listsync.broker.support;

import io.listsync.broker.Subscription;

import java.util.function.Consumer;

/**
 * The {@link Subscription} of a broker built on {@link ListenerQueue}s: closing stops delivery at once (the queue
 * discards what it holds) and then lets the broker unregister the queue, for example from its
 * {@link SubscriberRegistry} and, for a networked broker, from the remote channel.
 */
public final class QueueSubscription implements Subscription {

    private final ListenerQueue queue;
    private final Consumer<ListenerQueue> unregister;

    /**
     * @param queue      the subscription's queue
     * @param unregister removes the queue from the broker's routing; called on every {@link #close()}, so it must be
     *                   idempotent (as {@link SubscriberRegistry#remove} is)
     */
    public QueueSubscription(ListenerQueue queue, Consumer<ListenerQueue> unregister) {
        this.queue = queue;
        this.unregister = unregister;
    }

    @Override
    public String listId() {
        return queue.listId();
    }

    @Override
    public void close() {
        queue.close();
        unregister.accept(queue);
    }
}
