package io.listsync.broker.support;

import io.listsync.broker.ListEventListener;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls listeners off the caller's thread, one {@link ListenerQueue} per subscription, which gives every broker the
 * listener guarantees of {@link io.listsync.broker.ListEventBroker} for free: per-subscription order, no overlapping
 * calls, a throwing listener logged and kept, a slow listener delaying only itself behind a bounded backlog.
 *
 * <p>Listener calls run on virtual threads named {@code <threadNamePrefix><n>}: a listener that blocks parks its own
 * virtual thread and no one else's, and an idle subscription holds no thread at all.
 */
public final class ListenerDispatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ListenerDispatcher.class.getName());
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final ExecutorService executor;
    private final int backlog;
    private final Set<ListenerQueue> open = ConcurrentHashMap.newKeySet();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /**
     * @param threadNamePrefix names the dispatch threads, for example {@code listsync-redis-dispatch-}
     * @param backlog          how many undelivered events one subscription may hold before newer ones are dropped
     */
    public ListenerDispatcher(String threadNamePrefix, int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, was " + backlog);
        }
        this.backlog = backlog;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadNamePrefix, 0).factory());
    }

    /**
     * Opens the queue of one new subscription.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public ListenerQueue open(String listId, ListEventListener listener) {
        if (executor.isShutdown()) {
            throw new IllegalStateException("The broker is closed");
        }
        ListenerQueue queue = new ListenerQueue(listId, listener, backlog, this);
        open.add(queue);
        return queue;
    }

    /** Listener calls that returned normally. */
    public long delivered() {
        return delivered.sum();
    }

    /** Events dropped because a subscription's backlog was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** Listener calls that threw. */
    public long failures() {
        return failures.sum();
    }

    /**
     * Counts a dropped event: a subscription's backlog was full, or the broker could not read an incoming message.
     */
    public void countDropped() {
        dropped.increment();
    }

    /**
     * Closes every queue, interrupts listener calls still running and waits a few seconds for them to return.
     * Idempotent.
     */
    @Override
    public void close() {
        open.forEach(ListenerQueue::close);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "Some broker listeners did not return within {0} after close;"
                        + " their threads are left to finish on their own", CLOSE_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean schedule(Runnable drain) {
        try {
            executor.execute(drain);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return false; // closing: the queue is being closed too, its events are discarded with it
        }
    }

    void closed(ListenerQueue queue) {
        open.remove(queue);
    }

    void countDelivered() {
        delivered.increment();
    }

    void countFailure() {
        failures.increment();
    }
}
