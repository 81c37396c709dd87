package io.listsync.server.idempotency;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.listsync.server.auth.SecretBox;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.db.SqlErrors;
import io.listsync.server.db.UnitOfWork;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code idempotency_keys} table: per user and key, the request it named and the answer it got. An answer that
 * may carry an invite code is stored sealed ({@link SecretBox}, bound to the user and key), so the table, like the
 * {@code invites} table, holds no code that opens a list.
 */
final class IdempotencyStore {

    /** Marks a sealed body; a plain one is JSON (or empty) and never starts with it. */
    private static final String SEALED = "sealed:";

    private static final String INSERT = "INSERT INTO idempotency_keys (user_id, idem_key, method, path, body_hash, "
            + "status, content_type, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final SecretBox box;

    IdempotencyStore(SecretBox box) {
        this.box = box;
    }

    /** What remembering a key's answer found. */
    enum Stored {
        /** The row is inserted (uncommitted when it is the change's own transaction). */
        STORED,
        /** Another request has the key, committed: this one's answer is that one's (or 422). */
        TAKEN,
        /** Another request with the key is still running and did not finish within the lock timeout. */
        IN_FLIGHT
    }

    /** A committed key: what it named, and its answer (none only for a row an older version claimed). */
    record Remembered(Fingerprint fingerprint, Optional<Answer> answer) {
    }

    /**
     * Inserts the key's row with its answer, in the change's transaction, as its last statement. While another
     * transaction holds an uncommitted row for the same key, the database makes this wait (H2 up to its lock
     * timeout, PostgreSQL until that transaction ends): it then fails if that one committed, and succeeds if it
     * rolled back. {@link Stored#STORED} means the unit is committed, with the row (the insert carries the commit,
     * so the key costs no round trip of its own: {@link UnitOfWork#commitWith}); after anything else the caller
     * rolls the unit back.
     */
    Stored remember(UnitOfWork unit, String userId, IdempotencyKey key, Fingerprint fingerprint, Answer answer,
                    Instant now) {
        try {
            unit.commitWith(INSERT, userId, key.value(), fingerprint.method(), fingerprint.path(), fingerprint.bodyHash(),
                    answer.status(), answer.contentType(), stored(userId, key, fingerprint, answer.body()),
                    Rows.param(now));
            return Stored.STORED;
        } catch (RuntimeException e) {
            if (unit.isOpen() && SqlErrors.isUniqueViolation(e)) {
                return Stored.TAKEN;
            }
            if (unit.isOpen() && SqlErrors.isLockTimeout(e)) {
                return Stored.IN_FLIGHT;
            }
            throw e; // a failed commit, or anything else
        }
    }

    /** Remembers a refusal in a transaction of its own (the refused change's was rolled back). */
    Stored rememberRefusal(Database db, String userId, IdempotencyKey key, Fingerprint fingerprint, Answer answer,
                           Instant now) {
        try (UnitOfWork unit = db.beginUnitOfWork()) {
            return remember(unit, userId, key, fingerprint, answer, now); // unless stored, rolled back on leaving
        }
    }

    Optional<Remembered> find(DbExecute db, String userId, IdempotencyKey key) {
        return db.get("SELECT method, path, body_hash, status, content_type, body FROM idempotency_keys "
                        + "WHERE user_id = ? AND idem_key = ?", userId, key.value())
                .map(row -> remembered(row, userId, key));
    }

    /**
     * Deletes the keys created before {@code before}; returns how many. Keys are walked in the order they were
     * stored, from the oldest, up to the first one that is still young: what is deleted is always older than
     * {@code before}, and none of the younger ones is read. (A key stamped by an instance whose clock runs behind can
     * sit just after a younger one; it goes in a later round.)
     */
    static long prune(DbExecute db, Instant before) {
        Optional<Long> firstYoung = db.get("SELECT seq FROM idempotency_keys WHERE created_at >= ? ORDER BY seq "
                        + "FETCH FIRST 1 ROWS ONLY", Rows.param(before))
                .map(row -> Rows.longValue(row, "seq"));
        return firstYoung.isPresent()
                ? db.delete("DELETE FROM idempotency_keys WHERE seq < ? AND created_at < ?", firstYoung.get(),
                Rows.param(before))
                : db.delete("DELETE FROM idempotency_keys WHERE created_at < ?", Rows.param(before));
    }

    private String stored(String userId, IdempotencyKey key, Fingerprint fingerprint, byte[] body) {
        if (body.length == 0) {
            return null;
        }
        return fingerprint.answerHoldsSecret() ? SEALED + box.seal(context(userId, key), body)
                : new String(body, StandardCharsets.UTF_8);
    }

    private byte[] body(String stored, String userId, IdempotencyKey key) {
        if (stored == null) {
            return new byte[0];
        }
        if (!stored.startsWith(SEALED)) {
            return stored.getBytes(StandardCharsets.UTF_8);
        }
        // sealed under a server secret since rotated: the repeat gets the first status, without its body
        return box.open(context(userId, key), stored.substring(SEALED.length())).orElse(new byte[0]);
    }

    private static String context(String userId, IdempotencyKey key) {
        return userId + "\n" + key.value();
    }

    private Remembered remembered(DbRow row, String userId, IdempotencyKey key) {
        Fingerprint fingerprint = new Fingerprint(Rows.string(row, "method"), Rows.string(row, "path"),
                Rows.string(row, "body_hash"));
        Object status = Rows.value(row, "status");
        if (status == null) {
            return new Remembered(fingerprint, Optional.empty());
        }
        byte[] body = body(Rows.string(row, "body"), userId, key);
        return new Remembered(fingerprint, Optional.of(new Answer(((Number) status).intValue(),
                body.length == 0 ? null : Rows.string(row, "content_type"), body)));
    }
}
