package io.listsync.server.idempotency;

import io.listsync.server.db.Database;
import io.listsync.server.db.Pruning;
import io.listsync.server.db.Rows;

import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Deletes idempotency keys older than {@code idempotency.retention}, in the background on every instance (the
 * delete is idempotent).
 */
public final class IdempotencyPruner {

    private static final System.Logger LOG = System.getLogger(IdempotencyPruner.class.getName());

    private final Database db;
    private final IdempotencySettings settings;

    public IdempotencyPruner(Database db, IdempotencySettings settings) {
        this.db = db;
        this.settings = settings;
    }

    public void start(ScheduledExecutorService scheduler) {
        Pruning.every(scheduler, settings.pruneInterval(), settings.pruneInterval(), LOG, "idempotency keys",
                this::prune);
    }

    /** @return the number of keys deleted */
    public long prune() {
        long deleted = db.inTransaction(tx -> IdempotencyStore.prune(tx, Rows.now().minus(settings.retention())));
        if (deleted > 0) {
            LOG.log(Level.DEBUG, "Pruned " + deleted + " expired idempotency keys");
        }
        return deleted;
    }
}
