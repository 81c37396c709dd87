package io.listsync.broker;

/**
 * Receives the events of the list it was subscribed to.
 *
 * <p>A broker calls a listener from its own dispatch threads, never from a caller's thread and never from a network
 * I/O thread. Calls to one listener never overlap and arrive in the order the broker received the events of that
 * list. A listener must return quickly: hand work off rather than block. If it throws, the broker logs and counts
 * the failure and keeps calling it with later events. If it falls behind, the events beyond its subscription's
 * bounded backlog are dropped and counted; the listener sees the gap in {@link ListEvent#version()}.
 */
@FunctionalInterface
public interface ListEventListener {

    /**
     * Called once for every event of the subscribed list that the broker delivers.
     *
     * @param event the event; never {@code null}
     */
    void onEvent(ListEvent event);

    /**
     * Called when events of this subscription were dropped because its backlog was full: once per overflow, on the
     * same dispatch thread as {@link #onEvent} (never overlapping it), before the next event delivered after the
     * drops, or as soon as the backlog has drained. A drop can hit any event, including the last one of a list, so
     * a gap in versions is not the only sign of loss: a listener that must not miss anything (the server's access
     * notices) re-reads what it holds from the source of truth here. The default does nothing.
     *
     * @param count how many events were dropped since the previous call (at least 1)
     */
    default void onDropped(long count) {
    }
}
