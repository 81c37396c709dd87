package io.listsync.server.idempotency;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.listsync.server.http.ApiException;

import java.util.List;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} request header: 1 to 255 visible ASCII characters naming one change (clients use a
 * UUID).
 *
 * @param value the key as sent
 */
public record IdempotencyKey(String value) {

    public static final HeaderName HEADER = HeaderNames.create("Idempotency-Key");
    public static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        if (!isValid(value)) {
            throw invalid();
        }
    }

    /**
     * The request's key, if it sent one.
     *
     * @throws ApiException 400 for a key that is empty, too long, not visible ASCII, or sent more than once
     */
    public static Optional<IdempotencyKey> of(ServerRequest req) {
        if (!req.headers().contains(HEADER)) {
            return Optional.empty();
        }
        List<String> values = req.headers().get(HEADER).allValues();
        if (values.size() != 1) {
            throw ApiException.badRequest("Send one 'Idempotency-Key' header, not " + values.size());
        }
        return Optional.of(new IdempotencyKey(values.getFirst()));
    }

    static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static ApiException invalid() {
        return ApiException.badRequest("'Idempotency-Key' must be 1 to " + MAX_LENGTH
                + " visible ASCII characters (a UUID, for example)");
    }

    @Override
    public String toString() {
        return value;
    }
}
