package io.listsync.server.changes;

import io.helidon.dbclient.DbTransaction;
import io.listsync.server.access.Role;
import io.listsync.server.db.DeferredWrites;

import java.time.Instant;

/**
 * What a unit of work sees inside the change's transaction. The list's row is locked: writers of one list run
 * one after another, so {@code version} is exactly the previous version + 1.
 *
 * @param tx       the transaction; the work's statements run in it
 * @param deferred the same transaction's writes that nothing reads back, which ride its COMMIT
 * @param listId   the list
 * @param actorId  the user making the change
 * @param role     the actor's role (at least editor)
 * @param version  the list's version once this change commits (the list's row holds the previous one until then)
 * @param now      the change's time, for {@code updatedAt}, {@code checkedAt}
 */
public record ChangeContext(DbTransaction tx, DeferredWrites deferred, String listId, String actorId, Role role,
                            long version, Instant now) {
}
