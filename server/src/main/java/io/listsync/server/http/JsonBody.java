package io.listsync.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request's JSON object body, read with a size limit and validated field by field. Every failure is a 400
 * whose detail names the field, or a 413 for a body over the limit: malformed input never reaches the database.
 */
public final class JsonBody {

    /** Bodies above this are refused with 413. */
    public static final int MAX_BYTES = 64 * 1024;

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    public static JsonBody read(ServerRequest req, Json json) {
        req.headers().contentType().ifPresent(type -> {
            if (!type.mediaType().subtype().endsWith("json")) {
                throw ApiException.unsupportedMediaType("Content-Type must be application/json");
            }
        });
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > MAX_BYTES) {
            throw ApiException.payloadTooLarge("Request body is over " + MAX_BYTES + " bytes");
        }
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

    private static byte[] readLimited(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw ApiException.payloadTooLarge("Request body is over " + MAX_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.badRequest("Request body could not be read");
        }
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** A required string, trimmed, of {@code min..max} characters. */
    public String requiredString(String field, int min, int max) {
        return optionalString(field, min, max)
                .orElseThrow(() -> ApiException.badRequest("'" + field + "' is required"));
    }

    /**
     * A string that may be absent or null (both give empty); when present it is trimmed and must be
     * {@code min..max} characters.
     */
    public Optional<String> optionalString(String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string");
        }
        String text = value.textValue().strip();
        int length = text.codePointCount(0, text.length());
        if (length < min) {
            throw ApiException.badRequest(min == 1
                    ? "'" + field + "' must not be empty"
                    : "'" + field + "' must be at least " + min + " characters");
        }
        if (length > max) {
            throw ApiException.badRequest("'" + field + "' must be at most " + max + " characters");
        }
        return Optional.of(text);
    }

    /** Whether the field is present with an explicit JSON null. */
    public boolean isNull(String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNull();
    }

    public Optional<Integer> optionalInt(String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.badRequest("'" + field + "' must be an integer");
        }
        int number = value.intValue();
        if (number < min || number > max) {
            throw ApiException.badRequest("'" + field + "' must be between " + min + " and " + max);
        }
        return Optional.of(number);
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
            if (!element.isTextual() || element.textValue().isBlank() || element.textValue().length() > 100) {
                throw ApiException.badRequest("'" + field + "' must contain only id strings");
            }
            result.add(element.textValue());
        }
        return Optional.of(result);
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

    /** The untrimmed text of a string field already validated with {@link #requiredString}. */
    public String rawString(String field) {
        return node.get(field).textValue();
    }
}
