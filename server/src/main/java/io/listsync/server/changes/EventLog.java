package io.listsync.server.changes;

import io.helidon.dbclient.DbExecute;
import io.listsync.broker.ListEvent;
import io.listsync.server.db.DeferredWrites;
import io.listsync.server.db.Rows;

import java.time.Instant;
import java.util.List;

/**
 * The durable per-list event log: every committed change's frame, by version. Written in the change's own
 * transaction; read to replay to sockets that reconnect with {@code since} and to repair gaps.
 */
public final class EventLog {

    /** Adds a committed change's row; nothing reads it back in the change's transaction, so it rides the commit. */
    public void append(DeferredWrites tx, ListEvent event, String actorId, Instant now) {
        tx.defer("INSERT INTO list_events (list_id, version, type, actor_id, payload, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                event.listId(), event.version(), event.type(), actorId, event.payload(), Rows.param(now));
    }

    /**
     * The events of a list with {@code after < version <= upTo}, in version order, at most {@code limit}.
     */
    public List<ListEvent> between(DbExecute db, String listId, long after, long upTo, int limit) {
        return Rows.list(db, row -> new ListEvent(listId, Rows.string(row, "type"), Rows.longValue(row, "version"),
                        Rows.string(row, "payload")),
                "SELECT version, type, payload FROM list_events WHERE list_id = ? AND version > ? AND version <= ? "
                        + "ORDER BY version LIMIT " + Math.max(1, limit),
                listId, after, upTo);
    }
}
