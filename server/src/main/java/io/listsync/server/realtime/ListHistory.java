package io.listsync.server.realtime;

import io.listsync.broker.ListEvent;
import io.listsync.server.changes.EventLog;
import io.listsync.server.db.Database;
import io.listsync.server.db.DatabaseUnavailableException;
import io.listsync.server.db.Rows;

import java.util.List;
import java.util.Set;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the real-time side reads from the database: current versions and the event log.
 */
final class ListHistory {

    /**
     * After a broker outage every list on the instance asks for its version at once: a few at a time, so that
     * thousands of lists do not queue for the pool and starve REST requests.
     */
    private static final int CATCH_UP_CONCURRENCY = 4;

    /** How long a joining socket waits for its turn at the database before it is asked to reconnect. */
    private static final long JOIN_WAIT_SECONDS = 30;

    private final Database db;
    private final EventLog log;
    private final Semaphore catchUps = new Semaphore(CATCH_UP_CONCURRENCY);
    /**
     * Joins read through this gate, at most half the pool at once: a storm of thousands of sockets (an instance
     * restarted, a network came back) queues here, in memory and in order, rather than in the pool, where it would
     * time out and starve the REST requests that the other half is left for.
     */
    private final Semaphore joins;

    ListHistory(Database db, EventLog log) {
        this.db = db;
        this.log = log;
        this.joins = new Semaphore(Math.max(1, db.poolSize() / 2), true);
    }

    /**
     * Runs a join's database work when its turn comes.
     *
     * @throws DatabaseUnavailableException when the turn did not come within {@value #JOIN_WAIT_SECONDS} s
     */
    <T> T forJoin(Supplier<T> reads) {
        try {
            if (!joins.tryAcquire(JOIN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new DatabaseUnavailableException(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException(e);
        }
        try {
            return reads.get();
        } finally {
            joins.release();
        }
    }

    /** The list's current version, if the list exists and the user is a member. */
    OptionalLong versionForMember(String listId, String userId) {
        return db.read().get("SELECT l.version FROM lists l JOIN list_members m ON m.list_id = l.id "
                        + "WHERE l.id = ? AND m.user_id = ?", listId, userId)
                .map(row -> OptionalLong.of(Rows.longValue(row, "version")))
                .orElse(OptionalLong.empty());
    }

    /** The list's current version, if it exists. */
    OptionalLong currentVersion(String listId) {
        return db.read().get("SELECT version FROM lists WHERE id = ?", listId)
                .map(row -> OptionalLong.of(Rows.longValue(row, "version")))
                .orElse(OptionalLong.empty());
    }

    /** {@link #currentVersion}, limited to a few concurrent callers. */
    OptionalLong currentVersionForCatchUp(String listId) {
        catchUps.acquireUninterruptibly();
        try {
            return currentVersion(listId);
        } finally {
            catchUps.release();
        }
    }

    /** The user's display name, for presence; their id if the user is gone. */
    String displayName(String userId) {
        return db.read().get("SELECT display_name FROM users WHERE id = ?", userId)
                .map(row -> Rows.string(row, "display_name")).orElse(userId);
    }

    /** The ids of the list's members. */
    Set<String> members(String listId) {
        return Set.copyOf(Rows.list(db.read(), row -> Rows.string(row, "user_id"),
                "SELECT user_id FROM list_members WHERE list_id = ?", listId));
    }

    /** Events with {@code after < version <= upTo}, in order; fewer than asked when the log no longer has them. */
    List<ListEvent> between(String listId, long after, long upTo) {
        return log.between(db.read(), listId, after, upTo, (int) Math.min(Integer.MAX_VALUE, upTo - after));
    }
}
