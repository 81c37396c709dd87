package io.listsync.server.http;

import io.helidon.http.Status;

import java.util.Optional;

/**
 * The one exception type for a request that cannot be served as asked; {@link ProblemHandler} turns it into an
 * RFC 9457 problem+json answer.
 */
public final class ApiException extends RuntimeException {

    private final Status status;
    private final String type;
    private final String title;
    private final Long retryAfterSeconds;

    private ApiException(Status status, String type, String title, String detail, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(Status.BAD_REQUEST_400, "validation", "Invalid request", detail, null);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(Status.UNAUTHORIZED_401, "unauthorized", "Unauthorized", detail, null);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(Status.FORBIDDEN_403, "forbidden", "Forbidden", detail, null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(Status.NOT_FOUND_404, "not-found", "Not found", detail, null);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(Status.CONFLICT_409, "conflict", "Conflict", detail, null);
    }

    /** 409 that tells the client to try again shortly (the thing it conflicts with is about to finish). */
    public static ApiException conflict(String detail, long retryAfterSeconds) {
        return new ApiException(Status.CONFLICT_409, "conflict", "Conflict", detail, retryAfterSeconds);
    }

    /** 422: well-formed, but it contradicts what the server already holds (e.g. a reused Idempotency-Key). */
    public static ApiException unprocessable(String detail) {
        return new ApiException(Status.UNPROCESSABLE_CONTENT_422, "unprocessable",
                "Unprocessable request", detail, null);
    }

    public static ApiException payloadTooLarge(String detail) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, "payload-too-large", "Payload too large",
                detail, null);
    }

    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type",
                "Unsupported media type", detail, null);
    }

    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(Status.TOO_MANY_REQUESTS_429, "rate-limited", "Too many requests", detail,
                retryAfterSeconds);
    }

    public static ApiException internal(String detail) {
        return new ApiException(Status.INTERNAL_SERVER_ERROR_500, "internal", "Internal error", detail, null);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, "unavailable", "Service unavailable", detail, 1L);
    }

    public Problem problem() {
        return new Problem(Problem.TYPE_BASE + type, title, status.code(), getMessage());
    }

    public Status status() {
        return status;
    }

    public Optional<Long> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }
}
