package io.listsync.server.changes;

import io.listsync.broker.ListEvent;

/**
 * Receives each committed change event, after its transaction committed, to pass it on to the broker.
 */
@FunctionalInterface
public interface ChangePublisher {

    /** Must not block the request: publishing is asynchronous; the event log makes it recoverable. */
    void publishCommitted(ListEvent event);
}
