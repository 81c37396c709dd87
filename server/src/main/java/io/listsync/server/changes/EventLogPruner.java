package io.listsync.server.changes;

import io.listsync.server.db.Database;
import io.listsync.server.db.Pruning;
import io.listsync.server.db.Rows;

import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Deletes old events: an event goes once it is both older than {@code retainAge} and not among the last
 * {@code retainEvents} of its list. Runs in the background on every instance (the delete is idempotent).
 */
public final class EventLogPruner {

    private static final System.Logger LOG = System.getLogger(EventLogPruner.class.getName());

    private final Database db;
    private final EventSettings settings;

    public EventLogPruner(Database db, EventSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    public void start(ScheduledExecutorService scheduler) {
        Pruning.every(scheduler, settings.pruneInterval(), settings.pruneInterval(), LOG, "the event log",
                this::prune);
    }

    /** @return the number of events deleted */
    public long prune() {
        long deleted = db.inTransaction(tx -> tx.delete("DELETE FROM list_events WHERE created_at < ? AND version <= "
                        + "(SELECT l.version FROM lists l WHERE l.id = list_events.list_id) - ?",
                Rows.param(Rows.now().minus(settings.retainAge())), settings.retainEvents()));
        if (deleted > 0) {
            LOG.log(Level.INFO, "Pruned " + deleted + " old events from the event log");
        }
        return deleted;
    }
}
