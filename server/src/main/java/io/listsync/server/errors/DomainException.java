package io.listsync.server.errors;

import java.util.Optional;

/**
 * What the domain refuses: a missing list, item or member, a caller without the right role, a change that conflicts
 * with what is stored. Storage and service code throw it and know nothing of HTTP; the problem handler (in
 * {@code http}) is the one place that turns it into an RFC 9457 problem+json answer.
 */
public final class DomainException extends RuntimeException {

    /** The closed set of refusals, each with one meaning for every caller. */
    public enum Kind {
        /** The input breaks a rule (400). */
        INVALID,
        /** The caller is not who they say, or no longer signed in (401). */
        UNAUTHENTICATED,
        /** The caller may see this but not do this (403). */
        FORBIDDEN,
        /** It does not exist, or the caller may not know it does (404). */
        NOT_FOUND,
        /** It contradicts what is stored (409). */
        CONFLICT,
        /** Too many attempts; try again after {@link #retryAfterSeconds()} (429). */
        RATE_LIMITED
    }

    private final Kind kind;
    private final Long retryAfterSeconds;

    private DomainException(Kind kind, String detail, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static DomainException invalid(String detail) {
        return new DomainException(Kind.INVALID, detail, null);
    }

    /** The detail of a 401 for a validly signed token whose user does not exist (any more). */
    public static final String NO_SUCH_USER = "The access token's user does not exist";

    public static DomainException unauthenticated(String detail) {
        return new DomainException(Kind.UNAUTHENTICATED, detail, null);
    }

    public static DomainException forbidden(String detail) {
        return new DomainException(Kind.FORBIDDEN, detail, null);
    }

    public static DomainException notFound(String detail) {
        return new DomainException(Kind.NOT_FOUND, detail, null);
    }

    public static DomainException conflict(String detail) {
        return new DomainException(Kind.CONFLICT, detail, null);
    }

    public static DomainException rateLimited(String detail, long retryAfterSeconds) {
        return new DomainException(Kind.RATE_LIMITED, detail, retryAfterSeconds);
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Long> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }
}
