package io.listsync.broker.support;

import io.listsync.broker.ListEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes events to the local subscriptions of their list. Reads ({@link #deliver}) take no lock and allocate nothing,
 * so a network I/O thread may call it; writes copy the small per-list array. {@link #add} and {@link #remove} say
 * when a list gains its first or loses its last subscription, which is when a networked broker subscribes or
 * unsubscribes the list's channel (reference counting).
 */
public final class SubscriberRegistry {

    private static final ListenerQueue[] NONE = new ListenerQueue[0];

    private final ConcurrentHashMap<String, ListenerQueue[]> byList = new ConcurrentHashMap<>();
    private final AtomicInteger subscriptions = new AtomicInteger();

    /**
     * Adds a subscription.
     *
     * @return {@code true} when it is the first subscription of its list
     */
    public boolean add(ListenerQueue queue) {
        ListenerQueue[] after = byList.merge(queue.listId(), new ListenerQueue[]{queue}, (current, one) -> {
            ListenerQueue[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = queue;
            return grown;
        });
        subscriptions.incrementAndGet();
        return after.length == 1;
    }

    /**
     * Removes a subscription; removing one that is not registered does nothing.
     *
     * @return {@code true} when it was the last subscription of its list
     */
    public boolean remove(ListenerQueue queue) {
        boolean[] removed = {false};
        ListenerQueue[] after = byList.computeIfPresent(queue.listId(), (listId, current) -> {
            int index = Arrays.asList(current).indexOf(queue);
            if (index < 0) {
                return current;
            }
            removed[0] = true;
            if (current.length == 1) {
                return null;
            }
            ListenerQueue[] shrunk = new ListenerQueue[current.length - 1];
            System.arraycopy(current, 0, shrunk, 0, index);
            System.arraycopy(current, index + 1, shrunk, index, current.length - index - 1);
            return shrunk;
        });
        if (removed[0]) {
            subscriptions.decrementAndGet();
        }
        return removed[0] && after == null;
    }

    /**
     * Offers the event to every local subscription of its list, without blocking.
     *
     * @return how many subscriptions accepted it (a full backlog refuses, and is counted by its dispatcher)
     */
    public int deliver(ListEvent event) {
        int accepted = 0;
        for (ListenerQueue queue : byList.getOrDefault(event.listId(), NONE)) {
            if (queue.offer(event)) {
                accepted++;
            }
        }
        return accepted;
    }

    /**
     * Removes every subscription, for a closing broker.
     *
     * @return the removed subscriptions, so the caller can close them
     */
    public List<ListenerQueue> clear() {
        List<ListenerQueue> removed = new ArrayList<>();
        for (String listId : byList.keySet()) {
            ListenerQueue[] queues = byList.remove(listId);
            if (queues != null) {
                removed.addAll(Arrays.asList(queues));
                subscriptions.addAndGet(-queues.length);
            }
        }
        return removed;
    }

    /** Whether the list has at least one local subscription. */
    public boolean contains(String listId) {
        return byList.containsKey(listId);
    }

    /** The lists with at least one local subscription, as a snapshot. */
    public Set<String> listIds() {
        return Set.copyOf(byList.keySet());
    }

    /** Open subscriptions. */
    public int subscriptions() {
        return subscriptions.get();
    }

    /** Lists with at least one open subscription. */
    public int lists() {
        return byList.size();
    }
}
