package io.listsync.server.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an {@code Idempotency-Key} names: a method, a path and a body (by its SHA-256). A repeat of the key must
 * match it exactly, byte for byte.
 *
 * @param method   the HTTP method
 * @param path     the request path, raw (as sent)
 * @param bodyHash the hex SHA-256 of the request body (of no bytes when there is none)
 */
public record Fingerprint(String method, String path, String bodyHash) {

    public static Fingerprint of(String method, String path, byte[] body) {
        return new Fingerprint(method, path, sha256(body));
    }

    /** In words, for the 422 answer. */
    String describeDifference(Fingerprint other) {
        if (!method.equals(other.method) || !path.equals(other.path)) {
            return "it was first used for " + method + " " + path;
        }
        return "it was first used with another request body";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
