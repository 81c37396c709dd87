package io.listsync.server.realtime;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * The frames waiting to be written to one socket, and the only writer of that socket: frames are written one
 * after another by a drain task that runs only while there is something to write (no thread per idle socket).
 *
 * <p>Bounded. When a socket falls {@code maxBacklog} events behind, its backlog is replaced by one
 * {@code resync} frame carrying the newest version (the client refetches and carries on from there). A burst
 * (a catch-up after a broker outage hands a channel thousands of events at once) may overflow the backlog again
 * before that frame is written: the new backlog folds into the waiting resync. Only when the resync has waited
 * {@link #STUCK_AFTER} unwritten is the socket stuck: everything queued is dropped and a close with
 * {@link CloseCodes#TOO_SLOW} is the one frame left, written if the stuck write ever completes (the socket drops
 * the connection if it does not within the close timeout). Either way one slow client holds bounded memory and
 * delays nobody else.
 */
final class SocketOutbox {

    /** Where frames go: the WebSocket session. */
    interface Sink {
        void send(String text);

        void close(int code, String reason);
    }

    /** What happened to an offered frame. */
    enum Offer {
        QUEUED,
        /** The backlog was replaced by a resync. */
        RESYNC,
        /** The socket was stuck: it is now closing with {@link CloseCodes#TOO_SLOW}. */
        STUCK,
        /** The outbox was already closed. */
        CLOSED
    }

    private sealed interface Entry {
    }

    private record Text(String text, boolean event) implements Entry {
    }

    /** The one waiting resync; its version is read when it is written, so later overflows can raise it. */
    private record Resync() implements Entry {
    }

    private static final Resync RESYNC = new Resync();

    /** How long a resync may wait unwritten while the socket keeps overflowing before it counts as stuck. */
    static final java.time.Duration STUCK_AFTER = java.time.Duration.ofSeconds(1);

    private record Close(int code, String reason) implements Entry {
    }

    private final Sink sink;
    private final Executor executor;
    private final int maxBacklog;
    private final Runnable writeFailed;
    private final java.util.function.LongSupplier nanoClock;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private int queuedEvents;
    private boolean resyncQueued;
    private long resyncVersion;
    private long resyncQueuedAt;
    private boolean draining;
    private boolean closed;

    /**
     * @param writeFailed told (on the drain's thread) when a write failed: the connection is broken
     */
    SocketOutbox(Sink sink, Executor executor, int maxBacklog, Runnable writeFailed) {
        this(sink, executor, maxBacklog, writeFailed, System::nanoTime);
    }

    /** With the clock that judges {@link #STUCK_AFTER}, for tests. */
    SocketOutbox(Sink sink, Executor executor, int maxBacklog, Runnable writeFailed,
                 java.util.function.LongSupplier nanoClock) {
        this.sink = sink;
        this.executor = executor;
        this.maxBacklog = maxBacklog;
        this.writeFailed = writeFailed;
        this.nanoClock = nanoClock;
    }

    /**
     * Queues a change event.
     *
     * @param frame   the serialized frame
     * @param version its list version, used for the {@code resync} that replaces an overflowing backlog
     */
    synchronized Offer offerEvent(String frame, long version) {
        if (closed) {
            return Offer.CLOSED;
        }
        if (queuedEvents < maxBacklog) {
            queue.add(new Text(frame, true));
            queuedEvents++;
            startDrain();
            return Offer.QUEUED;
        }
        long now = nanoClock.getAsLong();
        if (resyncQueued && now - resyncQueuedAt >= STUCK_AFTER.toNanos()) {
            closeLocked(CloseCodes.TOO_SLOW, "too slow to keep up; reconnect with since");
            return Offer.STUCK;
        }
        queue.removeIf(e -> e instanceof Text t && t.event());
        queuedEvents = 0;
        resyncVersion = version;
        if (!resyncQueued) {
            queue.add(RESYNC);
            resyncQueued = true;
            resyncQueuedAt = now;
        }
        startDrain();
        return Offer.RESYNC;
    }

    /** Queues a frame that is not a change event (hello, ping, pong, resync). */
    synchronized boolean offer(String frame) {
        if (closed) {
            return false;
        }
        queue.add(new Text(frame, false));
        startDrain();
        return true;
    }

    /**
     * Drops whatever is still queued and closes the socket after the frame being written, if any.
     *
     * @return false when the outbox was closed already (the socket is closing or gone)
     */
    synchronized boolean close(int code, String reason) {
        if (closed) {
            return false;
        }
        closeLocked(code, reason);
        return true;
    }

    private void closeLocked(int code, String reason) {
        closed = true;
        queue.clear();
        queuedEvents = 0;
        queue.add(new Close(code, reason));
        startDrain();
    }

    /** The socket is gone: nothing more will be written. */
    synchronized void discard() {
        closed = true;
        queue.clear();
        queuedEvents = 0;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Waits, at most {@code timeout}, until everything queued has been written (or failed to be). */
    synchronized void awaitWritten(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (draining || !queue.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startDrain() {
        if (!draining) {
            draining = true;
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Entry next;
            String resync = null;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    notifyAll();
                    return;
                }
                if (next instanceof Text t && t.event()) {
                    queuedEvents--;
                } else if (next instanceof Resync) {
                    // from here on an overflow needs a resync of its own: this one's version is fixed
                    resync = Frames.resync(resyncVersion);
                    resyncQueued = false;
                }
            }
            try {
                switch (next) {
                    case Text t -> sink.send(t.text());
                    case Resync r -> sink.send(resync);
                    case Close c -> sink.close(c.code(), c.reason());
                }
            } catch (RuntimeException e) {
                discard();
                synchronized (this) {
                    draining = false;
                    notifyAll();
                }
                writeFailed.run();
                return;
            }
        }
    }
}
