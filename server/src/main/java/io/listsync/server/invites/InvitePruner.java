package io.listsync.server.invites;

import io.listsync.server.db.Database;
import io.listsync.server.db.Pruning;
import io.listsync.server.db.Rows;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Deletes invites that expired more than {@link #KEPT_AFTER_EXPIRY} ago, hourly on every instance (the delete is
 * idempotent). Until then the owner still sees them in the list's invites, marked by their {@code expiresAt}; after
 * that nobody can use or see them, and the table does not grow with every link ever made.
 */
public final class InvitePruner {

    /** How long an expired invite stays listed for its owner. */
    public static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(30);

    private static final System.Logger LOG = System.getLogger(InvitePruner.class.getName());

    private final Database db;

    public InvitePruner(Database db) {
        this.db = db;
    }

    public void start(ScheduledExecutorService scheduler) {
        Pruning.every(scheduler, Duration.ofMinutes(2), Duration.ofHours(1), LOG, "expired invites", this::prune);
    }

    /** @return the number of invites deleted */
    public long prune() {
        long deleted = db.inTransaction(tx -> tx.delete("DELETE FROM invites WHERE expires_at < ?",
                Rows.param(Rows.now().minus(KEPT_AFTER_EXPIRY))));
        if (deleted > 0) {
            LOG.log(Level.DEBUG, "Pruned " + deleted + " long-expired invites");
        }
        return deleted;
    }
}
