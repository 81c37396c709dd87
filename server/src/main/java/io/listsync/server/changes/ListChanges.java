package io.listsync.server.changes;

import io.listsync.broker.ListEvent;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.http.Json;
import io.listsync.server.lists.ListAccess;
import io.listsync.server.lists.Role;

import java.time.Instant;
import java.util.function.Function;

/**
 * The one path every change to a list takes:
 * <ol>
 *     <li>one transaction: check the caller may edit, {@code version + 1} on the list's row (which also locks it,
 *     so concurrent writers of one list queue here and versions stay gap-free), the change itself, and the
 *     event's row in the list's event log;</li>
 *     <li>after commit: hand the event, serialized once, to the {@link ChangePublisher} (the broker).</li>
 * </ol>
 * A unit of work that finds nothing to change returns {@link Change#none}: its transaction is rolled back, so
 * the version does not move and no event is published.
 */
public final class ListChanges {

    private final Database db;
    private final ListAccess access;
    private final EventLog log;
    private final Json json;
    private final ChangePublisher publisher;

    public ListChanges(Database db, ListAccess access, EventLog log, Json json, ChangePublisher publisher) {
        this.db = db;
        this.access = access;
        this.log = log;
        this.json = json;
        this.publisher = publisher;
    }

    /**
     * Applies one change to a list as {@code actorId}.
     *
     * @return the work's result
     * @throws io.listsync.server.http.ApiException 404 for a non-member or unknown list, 403 for a viewer, or
     *                                              whatever the work throws (then nothing is committed)
     */
    public <T> T apply(String listId, String actorId, Function<ChangeContext, Change<T>> work) {
        Committed<T> committed;
        try {
            committed = db.inTransaction(tx -> {
                Role role = access.requireEditor(tx, listId, actorId);
                Instant now = Rows.now();
                long version = nextVersion(tx, listId, now);
                Change<T> change = work.apply(new ChangeContext(tx, listId, actorId, role, version, now));
                if (change.isNone()) {
                    throw new NothingChanged(change.result());
                }
                ListEvent event = event(listId, version, change, actorId, now);
                log.append(tx, event, actorId, now);
                return new Committed<>(change.result(), event);
            });
        } catch (NothingChanged nothing) {
            @SuppressWarnings("unchecked")
            T result = (T) nothing.result;
            return result;
        }
        publisher.publishCommitted(committed.event());
        return committed.result();
    }

    private static long nextVersion(io.helidon.dbclient.DbExecute tx, String listId, Instant now) {
        long updated = tx.update("UPDATE lists SET version = version + 1, updated_at = ? WHERE id = ?",
                Rows.param(now), listId);
        if (updated != 1) {
            throw ListAccess.notFound();
        }
        return tx.get("SELECT version FROM lists WHERE id = ?", listId)
                .map(row -> Rows.longValue(row, "version"))
                .orElseThrow(ListAccess::notFound);
    }

    private ListEvent event(String listId, long version, Change<?> change, String actorId, Instant now) {
        String type = change.type().wireName();
        String payload = json.write(new EventFrame(type, listId, version, change.data(), actorId, Json.format(now)));
        return new ListEvent(listId, type, version, payload);
    }

    private record Committed<T>(T result, ListEvent event) {
    }

    /** Rolls the no-op's transaction back while carrying its result out. */
    private static final class NothingChanged extends RuntimeException {
        private final Object result;

        NothingChanged(Object result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
