package io.listsync.server.idempotency;

import io.listsync.server.http.RequestLog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an {@code Idempotency-Key} names: a method, a path and a body (by its SHA-256). A repeat of the key must
 * match it exactly, byte for byte.
 *
 * <p>A path that carries an invite code is kept masked as the access log shows it ({@code /api/v1/invites/***}),
 * and the raw path goes into the hash instead: the table must not hold a code that opens a list.
 *
 * @param method   the HTTP method
 * @param path     the request path, as sent, or masked when it carries a code
 * @param bodyHash the hex SHA-256 of the request body (of no bytes when there is none), after the raw path when the
 *                 path is masked
 */
public record Fingerprint(String method, String path, String bodyHash) {

    public static Fingerprint of(String method, String rawPath, byte[] body) {
        String shown = RequestLog.maskedPath(rawPath);
        if (shown.equals(rawPath)) {
            return new Fingerprint(method, rawPath, sha256(body));
        }
        byte[] path = rawPath.getBytes(StandardCharsets.UTF_8);
        byte[] hashed = new byte[path.length + 1 + body.length];
        System.arraycopy(path, 0, hashed, 0, path.length);
        System.arraycopy(body, 0, hashed, path.length + 1, body.length);
        return new Fingerprint(method, shown, sha256(hashed));
    }

    /** Whether the answer may carry an invite code (an invite's create, list or accept): it is stored sealed. */
    boolean answerHoldsSecret() {
        return path.toLowerCase(java.util.Locale.ROOT).contains("/invites");
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
