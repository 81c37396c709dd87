package io.listsync.server.auth;

import io.helidon.dbclient.DbExecute;
import io.listsync.server.db.Rows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Refresh tokens: 256 random bits, stored only as a SHA-256 hash, single use. Each use marks the token used and
 * issues its successor in the same family; presenting a used token again revokes the whole family.
 */
public final class RefreshTokens {

    private final SecureRandom random = new SecureRandom();
    private final Duration ttl;

    public RefreshTokens(Duration ttl) {
        this.ttl = ttl;
    }

    /** The outcome of presenting a refresh token. */
    public sealed interface Redemption {
        record Valid(String userId, String familyId) implements Redemption {
        }

        record Invalid() implements Redemption {
        }

        /** A used token came back: it leaked, so its family was revoked. */
        record Reused() implements Redemption {
        }
    }

    /** Issues a token in a new family (a login) or an existing one (a rotation). */
    public String issue(DbExecute db, String userId, Optional<String> familyId, Instant now) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        db.insert("INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at, created_at) "
                        + "VALUES (?, ?, ?, ?, ?)",
                hash(token), familyId.orElseGet(() -> UUID.randomUUID().toString()), userId,
                Rows.param(now.plus(ttl)), Rows.param(now));
        return token;
    }

    /** Marks the token used; must run in the transaction that issues its successor. */
    public Redemption redeem(DbExecute db, String token, Instant now) {
        if (token.length() > 200) {
            return new Redemption.Invalid();
        }
        String hash = hash(token);
        var row = db.get("SELECT family_id, user_id, expires_at, used_at FROM refresh_tokens WHERE token_hash = ?",
                hash);
        if (row.isEmpty()) {
            return new Redemption.Invalid();
        }
        String familyId = Rows.string(row.get(), "family_id");
        if (Rows.instant(row.get(), "used_at") != null) {
            db.delete("DELETE FROM refresh_tokens WHERE family_id = ?", familyId);
            return new Redemption.Reused();
        }
        if (!Rows.instant(row.get(), "expires_at").isAfter(now)) {
            return new Redemption.Invalid();
        }
        // the used_at IS NULL guard makes two concurrent redemptions of one token succeed at most once
        long marked = db.update("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                Rows.param(now), hash);
        if (marked != 1) {
            return new Redemption.Reused();
        }
        return new Redemption.Valid(Rows.string(row.get(), "user_id"), familyId);
    }

    /** Revokes the family of a token (a sign-out); unknown tokens are ignored. */
    public void revokeFamily(DbExecute db, String token) {
        db.delete("DELETE FROM refresh_tokens WHERE family_id IN "
                + "(SELECT family_id FROM refresh_tokens WHERE token_hash = ?)", hash(token));
    }

    /** Removes tokens that expired long ago; called in the background. */
    public long purgeExpired(DbExecute db, Instant now) {
        return db.delete("DELETE FROM refresh_tokens WHERE expires_at < ?", Rows.param(now));
    }

    static String hash(String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
