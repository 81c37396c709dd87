package io.listsync.server.idempotency;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.listsync.server.auth.SecretBox;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.db.SqlErrors;

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

    private final SecretBox box;

    IdempotencyStore(SecretBox box) {
        this.box = box;
    }

    /** What claiming a key found. */
    enum Claim {
        /** The key is ours: the row is inserted, uncommitted, and holds off every other request with the key. */
        CLAIMED,
        /** A committed request has the key: replay its answer (or 422). The transaction must be rolled back. */
        TAKEN,
        /** Another request with the key is still running and did not finish within the lock timeout. */
        IN_FLIGHT
    }

    /** A committed key: what it named, and its answer. */
    record Remembered(Fingerprint fingerprint, Optional<Answer> answer) {
    }

    /**
     * Inserts the key's row. While another transaction holds an uncommitted row for the same key, the database makes
     * this wait (H2 up to its lock timeout, PostgreSQL until that transaction ends): it then fails if that one
     * committed, and succeeds if it rolled back.
     */
    Claim claim(DbExecute tx, String userId, IdempotencyKey key, Fingerprint fingerprint, Instant now) {
        try {
            tx.insert("INSERT INTO idempotency_keys (user_id, idem_key, method, path, body_hash, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?)",
                    userId, key.value(), fingerprint.method(), fingerprint.path(), fingerprint.bodyHash(),
                    Rows.param(now));
            return Claim.CLAIMED;
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return Claim.TAKEN;
            }
            if (SqlErrors.isLockTimeout(e)) {
                return Claim.IN_FLIGHT;
            }
            throw e;
        }
    }

    /** Completes the claimed row with the answer, in the claiming transaction. */
    void remember(DbExecute tx, String userId, IdempotencyKey key, Fingerprint fingerprint, Answer answer) {
        long updated = tx.update("UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? "
                        + "WHERE user_id = ? AND idem_key = ?",
                answer.status(), answer.contentType(), stored(userId, key, fingerprint, answer.body()),
                userId, key.value());
        if (updated != 1) {
            throw new IllegalStateException("The claimed idempotency key is gone");
        }
    }

    /**
     * Remembers a refusal in a transaction of its own (the refused change's was rolled back).
     *
     * @return false when the key is taken meanwhile (by a repeat that ran in between)
     */
    boolean rememberRefusal(Database db, String userId, IdempotencyKey key, Fingerprint fingerprint, Answer answer,
                            Instant now) {
        try {
            db.inTransaction(tx -> tx.insert("INSERT INTO idempotency_keys (user_id, idem_key, method, path, body_hash, "
                            + "status, content_type, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    userId, key.value(), fingerprint.method(), fingerprint.path(), fingerprint.bodyHash(),
                    answer.status(), answer.contentType(), stored(userId, key, fingerprint, answer.body()),
                    Rows.param(now)));
            return true;
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    Optional<Remembered> find(DbExecute db, String userId, IdempotencyKey key) {
        return db.get("SELECT method, path, body_hash, status, content_type, body FROM idempotency_keys "
                        + "WHERE user_id = ? AND idem_key = ?", userId, key.value())
                .map(row -> remembered(row, userId, key));
    }

    /** Deletes the keys created before {@code before}; returns how many. */
    static long prune(DbExecute db, Instant before) {
        return db.delete("DELETE FROM idempotency_keys WHERE created_at < ?", Rows.param(before));
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
