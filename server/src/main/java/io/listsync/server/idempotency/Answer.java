package io.listsync.server.idempotency;

/**
 * A remembered answer, replayed byte for byte.
 *
 * @param status      the HTTP status (below 500: a 5xx is never remembered)
 * @param contentType its {@code Content-Type}, or {@code null} when it had no body
 * @param body        its body; empty for none
 */
public record Answer(int status, String contentType, byte[] body) {
}
