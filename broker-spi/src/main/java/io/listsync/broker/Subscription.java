package io.listsync.broker;

/**
 * A live subscription of one listener to one list, returned by {@link ListEventBroker#subscribe}.
 */
public interface Subscription extends AutoCloseable {

    /** The list this subscription receives events for. */
    String listId();

    /**
     * Stops delivery to this subscription's listener. Once {@code close()} returns, the listener receives no further
     * call that starts after it (a call already running may finish). Idempotent.
     */
    @Override
    void close();
}
