package io.listsync.server.realtime;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * The frames waiting to be written to one socket, and the only writer of that socket: frames are written one
 * after another by a drain task that runs only while there is something to write (no thread per idle socket).
 *
 * <p>Bounded. When a socket falls {@code maxBacklog} events behind, its backlog is replaced by one
 * {@code resync} frame carrying the newest version (the client refetches and carries on from there); if it falls
 * behind again before even that frame was written, the socket is stuck: it is dropped at once (a close frame could
 * not get through a full buffer either), counted as {@link CloseCodes#TOO_SLOW}. Either way one slow client holds bounded memory and delays nobody else.
 */
final class SocketOutbox {

    /** Where frames go: the WebSocket session. */
    interface Sink {
        void send(String text);

        void close(int code, String reason);

        /**
         * Gives up on a connection whose writes are stuck. May block until the stuck write ends (the peer reads or
         * goes away); the outbox calls it on its own executor and holds nothing for the socket any more.
         */
        void terminate();
    }

    /** What happened to an offered frame. */
    enum Offer { QUEUED, RESYNC, CLOSED }

    private sealed interface Entry {
    }

    private record Text(String text, boolean event, boolean resync) implements Entry {
    }

    private record Close(int code, String reason) implements Entry {
    }

    private final Sink sink;
    private final Executor executor;
    private final int maxBacklog;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private int queuedEvents;
    private boolean resyncQueued;
    private boolean draining;
    private boolean closed;

    SocketOutbox(Sink sink, Executor executor, int maxBacklog) {
        this.sink = sink;
        this.executor = executor;
        this.maxBacklog = maxBacklog;
    }

    /**
     * Queues a change event.
     *
     * @param frame   the serialized frame
     * @param version its list version, used for the {@code resync} that replaces an overflowing backlog
     */
    Offer offerEvent(String frame, long version) {
        boolean stuck;
        synchronized (this) {
            if (closed) {
                return Offer.CLOSED;
            }
            if (queuedEvents < maxBacklog) {
                queue.add(new Text(frame, true, false));
                queuedEvents++;
                startDrain();
                return Offer.QUEUED;
            }
            stuck = resyncQueued;
            if (!stuck) {
                queue.removeIf(e -> e instanceof Text t && t.event());
                queuedEvents = 0;
                queue.add(new Text(Frames.resync(version), false, true));
                resyncQueued = true;
                startDrain();
                return Offer.RESYNC;
            }
            closed = true;
            queue.clear();
        }
        // never on the caller's thread: the stuck writer holds the connection's send lock
        executor.execute(sink::terminate);
        return Offer.CLOSED;
    }

    /** Queues a frame that is not a change event (hello, ping, pong, resync). */
    boolean offer(String frame) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            queue.add(new Text(frame, false, false));
            startDrain();
            return true;
        }
    }

    /**
     * Drops whatever is still queued and closes the socket after the frame being written, if any.
     */
    void close(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            queue.add(new Close(code, reason));
            startDrain();
        }
    }

    /** The socket is gone: nothing more will be written. */
    synchronized void discard() {
        closed = true;
        queue.clear();
    }

    synchronized boolean isClosed() {
        return closed;
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
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
                if (next instanceof Text t) {
                    if (t.event()) {
                        queuedEvents--;
                    }
                }
            }
            try {
                switch (next) {
                    case Text t -> {
                        sink.send(t.text());
                        if (t.resync()) {
                            synchronized (this) {
                                resyncQueued = false;
                            }
                        }
                    }
                    case Close c -> sink.close(c.code(), c.reason());
                }
            } catch (RuntimeException e) {
                // the connection is gone; the socket's onClose/onError unregisters it
                discard();
            }
        }
    }
}
