package io.listsync.server.http;

import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;

/**
 * Query parameters read and range-checked the way {@link JsonBody} checks body fields: a value that is not a number
 * in range is a 400 whose detail names the parameter.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** An optional integer parameter in {@code min..max}, or {@code fallback} when absent. */
    public static int intParam(ServerRequest req, String name, int min, int max, int fallback) {
        return longParam(req, name, min, max).map(Long::intValue).orElse(fallback);
    }

    /** An optional whole-number parameter in {@code min..max}. */
    public static Optional<Long> longParam(ServerRequest req, String name, long min, long max) {
        Optional<String> raw = req.query().first(name).asOptional();
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        long value;
        try {
            value = Long.parseLong(raw.get().strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a whole number between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw ApiException.badRequest("'" + name + "' must be between " + min + " and " + max);
        }
        return Optional.of(value);
    }

    /** An optional text parameter of at most {@code max} characters, trimmed; empty when absent or blank. */
    public static String textParam(ServerRequest req, String name, int max) {
        String value = req.query().first(name).asOptional().map(String::strip).orElse("");
        if (value.codePointCount(0, value.length()) > max) {
            throw ApiException.badRequest("'" + name + "' must be at most " + max + " characters");
        }
        return value;
    }
}
