package io.listsync.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt (adaptive, salted). Passwords longer than bcrypt's 72 bytes are pre-hashed with SHA-512 rather than
 * silently truncated.
 */
public final class PasswordHasher {

    private final BCrypt.Hasher hasher;
    private final BCrypt.Verifyer verifier;
    private final int cost;
    private final String dummyHash;

    /**
     * @param cost bcrypt's log2 work factor; 12 in production, lower only in tests
     */
    public PasswordHasher(int cost) {
        this.cost = cost;
        this.hasher = BCrypt.with(LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2B));
        this.verifier = BCrypt.verifyer(BCrypt.Version.VERSION_2B,
                LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2B));
        this.dummyHash = hash("not a real password");
    }

    public String hash(String password) {
        return hasher.hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        return verifier.verify(password.getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the same time as a real check, so an unknown email cannot be told from a wrong password. */
    public void burnEquivalentTime(String password) {
        matches(password, dummyHash);
    }
}
