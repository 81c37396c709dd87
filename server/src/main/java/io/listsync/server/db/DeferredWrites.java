package io.listsync.server.db;

/**
 * The writes of a transaction that nothing in it reads back (a list's version bump, its event-log row, a
 * suggestion's count). They run when the transaction commits, on PostgreSQL in the {@code COMMIT}'s own message, so
 * they cost no round trip of their own; a statement that obtains the transaction anew ({@link Database#read},
 * a joined {@link Database#inTransaction}) runs them first, so the transaction still reads its own writes.
 * <p>
 * Only for writes no caller can fail on: an error surfaces from the commit, not from the line that queued it.
 */
@FunctionalInterface
public interface DeferredWrites {

    /** Queues {@code dml} (one statement, {@code ?} parameters) to run before the transaction commits. */
    void defer(String dml, Object... params);
}
