package io.listsync.broker.kit;

import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A listener that records what it receives, on which threads, and whether two calls ever overlapped.
 */
public final class RecordingListener implements ListEventListener {

    private final List<ListEvent> events = new ArrayList<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean overlapped = new AtomicBoolean();

    @Override
    public void onEvent(ListEvent event) {
        if (inFlight.incrementAndGet() > 1) {
            overlapped.set(true);
        }
        threads.add(Thread.currentThread());
        synchronized (events) {
            events.add(event);
        }
        inFlight.decrementAndGet();
    }

    /** A copy of the events received so far, in arrival order. */
    public List<ListEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public int count() {
        synchronized (events) {
            return events.size();
        }
    }

    /** The threads that called this listener. */
    public Set<Thread> threads() {
        return Set.copyOf(threads);
    }

    /** Whether two calls ever ran at the same time. */
    public boolean overlapped() {
        return overlapped.get();
    }

    /** Waits until at least {@code count} events arrived. */
    public RecordingListener awaitCount(int count, Duration timeout) {
        Await.until(timeout, () -> "a listener has " + count + " events (has " + count() + ")",
                () -> count() >= count);
        return this;
    }

    /** Waits until an event matching {@code expected} arrived. */
    public RecordingListener awaitEvent(Predicate<ListEvent> expected, Duration timeout) {
        Await.until(timeout, () -> "a listener receives the expected event (has " + count() + " events)",
                () -> events().stream().anyMatch(expected));
        return this;
    }
}
