package io.listsync.server.changes;

import io.listsync.server.db.SqlErrors;
import io.listsync.server.errors.DomainException;
import io.listsync.server.http.ApiException;
import io.listsync.server.http.JsonBody;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Ids that clients choose for what they create (contract 1.1), so an offline client can create an item and then
 * edit, check or delete it before the server has seen any of it: a UUID in its canonical lower-case form.
 */
public final class ClientIds {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private ClientIds() {
    }

    /**
     * The body's optional {@code id}.
     *
     * @throws ApiException 400 when it is there but not a canonical lower-case UUID
     */
    public static Optional<String> read(JsonBody body) {
        if (body.optionalString("id", 1, 100).isEmpty()) {
            return Optional.empty();
        }
        String id = body.rawString("id");
        if (!CANONICAL_UUID.matcher(id).matches()) {
            throw ApiException.badRequest("'id' must be a UUID in canonical lower-case form, "
                    + "like 3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b");
        }
        return Optional.of(id);
    }

    /** The client's id, or a new random one. */
    public static String orNew(Optional<String> id) {
        return id.orElseGet(() -> UUID.randomUUID().toString());
    }

    /**
     * Runs the insert of a new row whose id may be the client's. A taken id is looked for first rather than left to
     * the primary key: a failed statement would end the transaction, which may also hold the request's
     * idempotency key (that must be remembered with this 409).
     *
     * @param clientId the client's id, if it chose one
     * @param taken    whether an id already belongs to an existing {@code what}
     * @throws io.listsync.server.errors.DomainException 409 when the client's id already belongs to an existing {@code what}
     */
    public static void insert(String what, Optional<String> clientId, Predicate<String> taken, Runnable insert) {
        if (clientId.isPresent() && taken.test(clientId.get())) {
            throw inUse(what);
        }
        try {
            insert.run();
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw inUse(what); // taken by a concurrent transaction since
            }
            throw e;
        }
    }

    private static DomainException inUse(String what) {
        return DomainException.conflict("'id' already belongs to an existing " + what);
    }
}
