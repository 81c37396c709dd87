package io.listsync.server.realtime;

import io.listsync.broker.ListEvent;
import io.listsync.server.changes.EventLog;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;

import java.util.List;
import java.util.OptionalLong;

/**
 * What the real-time side reads from the database: current versions and the event log.
 */
final class ListHistory {

    private final Database db;
    private final EventLog log;

    ListHistory(Database db, EventLog log) {
        this.db = db;
        this.log = log;
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

    /** Events with {@code after < version <= upTo}, in order; fewer than asked when the log no longer has them. */
    List<ListEvent> between(String listId, long after, long upTo) {
        return log.between(db.read(), listId, after, upTo, (int) Math.min(Integer.MAX_VALUE, upTo - after));
    }
}
