package io.listsync.server.changes;

import io.listsync.broker.ListEvent;
import io.listsync.server.db.Database;
import io.listsync.server.db.DeferredWrites;
import io.listsync.server.db.Lookup;
import io.listsync.server.db.Rows;
import io.listsync.server.http.Json;
import io.listsync.server.access.ListAccess;
import io.listsync.server.access.Role;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one path every change to a list takes:
 * <ol>
 *     <li>one transaction: check the caller may edit and lock the list's row (concurrent writers of one list queue
 *     on the lock, so versions stay gap-free), the change itself, then {@code version + 1} and the event's row in
 *     the list's event log, which ride the COMMIT ({@link DeferredWrites}). For a request with an
 *     {@code Idempotency-Key} the transaction is the request's
 *     {@link io.listsync.server.db.UnitOfWork}, which this joins: the key and its answer commit with the change;</li>
 *     <li>after commit: hand the event, serialized once, to the {@link ChangePublisher} (the broker).</li>
 * </ol>
 * A unit of work that finds nothing to change returns {@link Change#none} (having written nothing): the version
 * does not move and no event is published. The transaction itself still
 * commits whatever else it holds, such as the idempotency key of a no-op request.
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
     * @throws io.listsync.server.errors.DomainException 404 for a non-member or unknown list, 403 for a viewer, or
     *                                              whatever the work throws (then nothing is committed)
     */
    public <T> T apply(String listId, String actorId, Function<ChangeContext, Change<T>> work) {
        return apply(listId, actorId, null, (change, nothing) -> work.apply(change));
    }

    /**
     * Applies one change to a list as {@code actorId}, handing the work what {@code ahead} read once the list's row
     * was locked (so it sees every earlier writer's change); it shares the lock's round trip.
     *
     * @param ahead a read the work needs, or {@code null}; it runs before the caller's role is checked, so it must
     *              not change anything, and the work only sees it once the check has passed
     * @see #apply(String, String, Function)
     */
    public <A, T> T apply(String listId, String actorId, Lookup<A> ahead,
                          BiFunction<ChangeContext, A, Change<T>> work) {
        Applied<T> applied = db.inTransaction(tx -> {
            List<Object> found = db.lookUp(ahead == null ? List.of(lock(listId, actorId))
                    : List.of(lock(listId, actorId), ahead));
            Row before = (Row) found.get(0);
            access.requireEditor(tx, before == null ? null : before.roleName(), actorId);
            @SuppressWarnings("unchecked")
            A aheadRead = ahead == null ? null : (A) found.get(1);
            Instant now = Rows.now();
            long version = before.version() + 1;
            DeferredWrites deferred = db.deferredWrites();
            Change<T> change = work.apply(new ChangeContext(tx, deferred, listId, actorId, before.role(), version,
                    now), aheadRead);
            if (change.isNone()) {
                // nothing changed: the version stays (the transaction may hold more, such as the idempotency key of
                // a no-op request, so it is not rolled back)
                return new Applied<>(change.result(), null);
            }
            ListEvent event = event(listId, version, change, actorId, now);
            // nothing in the transaction reads these back (the row is locked and the version known): they go with
            // the COMMIT, in its round trip
            deferred.defer("UPDATE lists SET version = ?, updated_at = ? WHERE id = ?", version, Rows.param(now),
                    listId);
            log.append(deferred, event, actorId, now);
            return new Applied<>(change.result(), event);
        });
        if (applied.event() != null) {
            db.afterCommit(() -> publisher.publishCommitted(applied.event()));
        }
        return applied.result();
    }

    /**
     * The list's version, its row locked until the transaction ends, and the caller's role, which must let them
     * edit: what every write checks first (no row: no such list).
     */
    private static Lookup<Row> lock(String listId, String actorId) {
        return Lookup.of(row -> row == null ? null
                        : new Row(((Number) row.get("version")).longValue(), (String) row.get("role")),
                "SELECT version, (SELECT role FROM list_members m WHERE m.list_id = lists.id AND m.user_id = ?) "
                        + "AS role FROM lists WHERE id = ? FOR UPDATE", actorId, listId);
    }

    private ListEvent event(String listId, long version, Change<?> change, String actorId, Instant now) {
        String type = change.type().wireName();
        String payload = json.write(new EventFrame(type, listId, version, change.data(), actorId, Json.format(now)));
        return new ListEvent(listId, type, version, payload);
    }

    private record Row(long version, String roleName) {
        Role role() {
            return Role.fromWire(roleName);
        }
    }

    /** What the transaction did: the result, and the event to publish once committed ({@code null}: none). */
    private record Applied<T>(T result, ListEvent event) {
    }
}
