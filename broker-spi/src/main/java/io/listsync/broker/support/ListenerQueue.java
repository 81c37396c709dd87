package io.listsync.broker.support;

import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventListener;

import java.util.ArrayDeque;

/**
 * The bounded, serial mailbox of one subscription: {@link #offer} never blocks, events reach the listener in offer
 * order, one call at a time, on a dispatch thread of the {@link ListenerDispatcher} that opened it.
 *
 * <p>At most one drain task per queue is scheduled at a time (the {@code draining} flag), so calls never overlap
 * even though each drain may run on a different thread; the lock hands over what the previous call wrote. A drain
 * delivers a bounded batch and then reschedules itself so one busy subscription cannot monopolise a carrier thread.
 */
public final class ListenerQueue {

    private static final System.Logger LOG = System.getLogger(ListenerQueue.class.getName());
    private static final int BATCH = 256;
    /** After the first, only every this-many-th drop or failure of one subscription is logged. */
    private static final long LOG_EVERY = 1_000;

    private final String listId;
    private final ListEventListener listener;
    private final int capacity;
    private final ListenerDispatcher dispatcher;
    /** Guards the fields below; private so no caller can contend on it. */
    private final Object lock = new Object();
    private final ArrayDeque<ListEvent> backlog = new ArrayDeque<>();
    private boolean draining;
    private boolean closed;
    private long drops;
    /** Drops the listener has not been told of yet ({@link ListEventListener#onDropped}). */
    private long untold;
    private long failures;

    ListenerQueue(String listId, ListEventListener listener, int capacity, ListenerDispatcher dispatcher) {
        this.listId = listId;
        this.listener = listener;
        this.capacity = capacity;
        this.dispatcher = dispatcher;
    }

    public String listId() {
        return listId;
    }

    /**
     * Queues an event for the listener without blocking.
     *
     * @return {@code false} when the event was dropped: the backlog is full (counted and logged) or the queue is
     *         closed (not counted: the subscriber has gone)
     */
    public boolean offer(ListEvent event) {
        long dropsSoFar;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            if (backlog.size() >= capacity) {
                dropsSoFar = ++drops;
                untold++; // a drain is running (the backlog is full), and tells the listener
            } else {
                backlog.addLast(event);
                if (draining) {
                    return true;
                }
                draining = true;
                dropsSoFar = 0;
            }
        }
        if (dropsSoFar > 0) {
            dispatcher.countDropped();
            logDrop(dropsSoFar);
            return false;
        }
        if (!dispatcher.schedule(this::drain)) {
            close();
        }
        return true;
    }

    /** Stops delivery: queued events are discarded; a call already running finishes. Idempotent. */
    public void close() {
        synchronized (lock) {
            closed = true;
            backlog.clear();
        }
        dispatcher.closed(this);
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            ListEvent next;
            long lost;
            synchronized (lock) {
                lost = closed ? 0 : untold;
                untold = 0;
                next = closed ? null : backlog.pollFirst();
                if (next == null && lost == 0) {
                    draining = false;
                    return;
                }
            }
            // the event first: drops that happened before the first delivery are told once the listener returned
            if (next != null) {
                deliver(next);
            }
            if (lost > 0) {
                tellDropped(lost);
            }
        }
        if (!dispatcher.schedule(this::drain)) {
            close();
        }
    }

    private void deliver(ListEvent event) {
        try {
            listener.onEvent(event);
            dispatcher.countDelivered();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            dispatcher.countFailure();
            long failuresSoFar;
            synchronized (lock) {
                failuresSoFar = ++failures;
            }
            if (failuresSoFar == 1 || failuresSoFar % LOG_EVERY == 0) {
                LOG.log(System.Logger.Level.WARNING, "Listener of list " + listId + " threw (" + failuresSoFar
                        + " times so far); it stays subscribed", e);
            }
        }
    }

    private void tellDropped(long lost) {
        try {
            listener.onDropped(lost);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            dispatcher.countFailure();
            LOG.log(System.Logger.Level.WARNING, "Listener of list " + listId + " threw when told of drops", e);
        }
    }

    private void logDrop(long dropsSoFar) {
        if (dropsSoFar == 1 || dropsSoFar % LOG_EVERY == 0) {
            LOG.log(System.Logger.Level.WARNING, "Listener of list {0} is more than {1} events behind; dropped {2}"
                    + " events so far", listId, capacity, dropsSoFar);
        }
    }
}
