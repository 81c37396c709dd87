package io.listsync.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HttpMediaType;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A request's JSON object body, read with a size limit and validated field by field. Every failure is a 400
 * whose detail names the field, or a 413 for a body over the limit: malformed input never reaches the database.
 */
public final class JsonBody {

    /** Bodies above this are refused with 413. */
    public static final int MAX_BYTES = 64 * 1024;
    /** A body over {@link #MAX_BYTES} but at most this long is read and dropped before its 413 ({@link #refuse}). */
    static final long DRAIN_BYTES = 1024 * 1024;

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    public static JsonBody read(ServerRequest req, Json json) {
        requireJsonContentType(req);
        byte[] bytes = readLimited(req);
        if (bytes.length == 0) {
            throw ApiException.badRequest("Request body is missing: a JSON object is expected");
        }
        JsonNode parsed;
        try {
            parsed = json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        return new JsonBody(object);
    }

    private static void requireJsonContentType(ServerRequest req) {
        Optional<HttpMediaType> type;
        try {
            type = req.headers().contentType();
        } catch (RuntimeException malformed) {
            // Helidon's parser throws on values such as `application/json; charset="`
            throw ApiException.unsupportedMediaType("Content-Type is not a valid media type: application/json "
                    + "is expected");
        }
        type.ifPresent(t -> {
            if (!t.mediaType().subtype().endsWith("json")) {
                throw ApiException.unsupportedMediaType("Content-Type must be application/json");
            }
        });
    }

    /**
     * The raw body, for a filter that needs it before the handler (the idempotency fingerprint): read like
     * {@link #read} reads it (at most {@link #MAX_BYTES}, within the body deadline, every failure a 4xx or a quiet
     * close) and kept buffered by Helidon, so the handler reads the same bytes again.
     */
    public static byte[] bufferedBytes(ServerRequest req) {
        return readLimited(req, true);
    }

    private static byte[] readLimited(ServerRequest req) {
        return readLimited(req, false);
    }

    /**
     * A body of a declared length is read into an array of that size; {@code readNBytes(max)} would allocate and
     * copy 16 KiB chunks for every small body.
     */
    private static byte[] read(InputStream in, long declared) throws IOException {
        if (declared >= 0) { // at most MAX_BYTES: a longer one was refused before
            byte[] body = new byte[(int) declared];
            int read = in.readNBytes(body, 0, body.length);
            in.read(); // the end of the entity, so the connection is kept alive (it counts as read in full)
            return read == body.length ? body : Arrays.copyOf(body, read);
        }
        return in.readNBytes(MAX_BYTES + 1);
    }

    /**
     * Reads at most {@link #MAX_BYTES} + 1 bytes, within the body deadline, and refuses a body over the limit with
     * 413 ({@link #refuse}). The stream is not closed: closing would read (and wait for) whatever the client still
     * sends; a body left unread makes the answer close the connection instead
     * ({@link RequestDeadlines#CLOSE_IF_BODY_UNREAD}).
     */
    private static byte[] readLimited(ServerRequest req, boolean buffer) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        return RequestDeadlines.readBody(() -> {
            byte[] bytes;
            try {
                long declared = req.headers().contentLength().orElse(-1);
                if (declared > MAX_BYTES) {
                    throw refuse(req.content().inputStream(), declared <= DRAIN_BYTES ? DRAIN_BYTES : 0);
                }
                if (buffer) {
                    bufferOrRefuse(req);
                }
                InputStream in = req.content().inputStream(); // one per request: Helidon gives it out once
                bytes = read(in, declared);
                if (bytes.length > MAX_BYTES) {
                    throw refuse(in, DRAIN_BYTES - bytes.length);
                }
            } catch (IOException | UncheckedIOException | ServerConnectionException
                     | DataReader.InsufficientDataAvailableException e) {
                throw new RequestDeadlines.ConnectionEnded(400, "The client closed the connection before the "
                        + "request body was complete", e);
            } catch (RequestException e) {
                if (e.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
                    throw ApiException.payloadTooLarge("Request body is over " + MAX_BYTES + " bytes");
                }
                throw ApiException.badRequest("Request body is malformed: " + e.getMessage());
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException e) {
                // e.g. a chunk size that is not a hexadecimal number
                throw ApiException.badRequest("Request body is malformed: its chunked transfer encoding is invalid");
            }
            return bytes;
        });
    }

    /**
     * The 413 for a body over the limit, once what is left of it has been read and dropped, if that is at most
     * {@code budget} bytes. The answer then keeps the connection; otherwise it closes it with the client's bytes still
     * unread, which makes the kernel reset the connection, and the reset can reach the client before the 413 does
     * (the client sees a dropped connection and retries the same body).
     */
    private static ApiException refuse(InputStream in, long budget) throws IOException {
        byte[] dropped = new byte[8192];
        for (long left = budget; left > 0; ) {
            int n = in.read(dropped, 0, (int) Math.min(dropped.length, left));
            if (n < 0) {
                break;
            }
            left -= n;
        }
        return ApiException.payloadTooLarge("Request body is over " + MAX_BYTES + " bytes");
    }

    /** Has Helidon keep the whole body in memory; one over its in-memory limit is too large for us anyway. */
    private static void bufferOrRefuse(ServerRequest req) {
        try {
            req.content().buffer();
        } catch (IllegalStateException overBufferLimit) {
            throw ApiException.payloadTooLarge("Request body is over " + MAX_BYTES + " bytes");
        }
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** A required string, trimmed, of {@code min..max} characters, under the {@link TextRule}. */
    public String requiredString(String field, int min, int max) {
        return optionalString(field, min, max)
                .orElseThrow(() -> ApiException.badRequest("'" + field + "' is required"));
    }

    /**
     * A string that may be absent or null (both give empty); when present it is trimmed and must be
     * {@code min..max} characters (code points) under the {@link TextRule}.
     */
    public Optional<String> optionalString(String field, int min, int max) {
        return optionalRawString(field).map(text -> TextRule.check(field, text.strip(), min, max));
    }

    /** A string taken exactly as sent (no trimming; for passwords), under the {@link TextRule}. */
    public String requiredRawString(String field, int min, int max) {
        return optionalRawString(field).map(text -> TextRule.check(field, text, min, max))
                .orElseThrow(() -> ApiException.badRequest("'" + field + "' is required"));
    }

    private Optional<String> optionalRawString(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string");
        }
        return Optional.of(value.textValue());
    }

    /** Whether the field is present with an explicit JSON null. */
    public boolean isNull(String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNull();
    }

    /** An optional integer from {@code min} to {@code max}, checked as a {@link NumberRule}. */
    public Optional<Integer> optionalInt(String field, int min, int max) {
        return optionalInt(field, new NumberRule(min, max));
    }

    /** An optional integer within {@code rule}'s bounds. */
    public Optional<Integer> optionalInt(String field, NumberRule rule) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.badRequest("'" + field + "' must be an integer from " + rule.min() + " to "
                    + rule.max());
        }
        return Optional.of(rule.check(field, value.longValue()));
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("'" + field + "' must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    /** An optional array of non-empty strings (ids), at most {@code maxSize} long. */
    public Optional<List<String>> optionalStringArray(String field, int maxSize) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("'" + field + "' must be an array of strings");
        }
        if (value.size() > maxSize) {
            throw ApiException.badRequest("'" + field + "' must have at most " + maxSize + " entries");
        }
        List<String> result = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual() || element.textValue().isBlank()) {
                throw ApiException.badRequest("'" + field + "' must contain only id strings");
            }
            result.add(TextRule.check(field, element.textValue(), 1, 100));
        }
        return Optional.of(result);
    }

    /** The text of a string field exactly as sent, once it passed {@link #optionalString} or {@link #requiredString}. */
    public String rawString(String field) {
        return node.get(field).textValue();
    }

    /** Fails when the body has none of the given fields (for PATCH). */
    public void requireAnyOf(String... fields) {
        for (String field : fields) {
            if (node.has(field)) {
                return;
            }
        }
        throw ApiException.badRequest("Body must contain at least one of " + String.join(", ", fields));
    }
}
