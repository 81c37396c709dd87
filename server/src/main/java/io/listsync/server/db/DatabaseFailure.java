package io.listsync.server.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;

/**
 * What a failure from the database means for the request that met it, decided in one place from the SQL state
 * (which H2 and PostgreSQL share for these classes), wherever in the cause chain the driver's exception is. The
 * problem handler answers every failure a handler lets through this way; handlers that answer a condition in their
 * own words first (a client's id in use, a key being claimed) recognise it with {@link SqlErrors}.
 */
public enum DatabaseFailure {
    /**
     * The database could not be reached or dropped the connection (class 08, PostgreSQL's administrator or crash
     * shutdown 57P01..57P03, too many connections 53300, H2's broken or closed connection, an exhausted pool), or
     * the change waited too long for a lock or lost a deadlock or serialization conflict (40001, 40P01, lock
     * timeouts): the request may be retried; nothing it did was answered as committed.
     */
    UNAVAILABLE,
    /**
     * A unique or foreign-key constraint refused the change: another request committed a conflicting change at the
     * same moment, for example the same email registered twice at once. (A CHECK or NOT NULL violation is not
     * one: the server's own validation should have caught it, so it stays a 500.)
     */
    CONFLICT;

    /** PostgreSQL codes outside class 08 that also mean the server is gone or refuses connections. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "53000",
            "40001", "40P01");
    /** Unique (23505), foreign key (23503; H2's parent missing, 23506) and exclusion (23P01) violations. */
    private static final Set<String> CONFLICT_STATES = Set.of("23505", "23503", "23506", "23P01");
    /** H2 error codes: connection broken (90067), database closed (90098, 90121). */
    private static final Set<Integer> H2_UNAVAILABLE_CODES = Set.of(90067, 90098, 90121);

    /** The kind of {@code failure}, or empty when it is not a known database condition. */
    public static Optional<DatabaseFailure> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseUnavailableException) {
                return Optional.of(UNAVAILABLE);
            }
            if (SqlErrors.isLockTimeout(t)) {
                return Optional.of(UNAVAILABLE);
            }
            if (t instanceof SQLException sql) {
                Optional<DatabaseFailure> kind = classify(sql);
                if (kind.isPresent()) {
                    return kind;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<DatabaseFailure> classify(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || UNAVAILABLE_STATES.contains(state)
                || H2_UNAVAILABLE_CODES.contains(e.getErrorCode())
                || e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException) {
            return Optional.of(UNAVAILABLE);
        }
        if (CONFLICT_STATES.contains(state)) {
            return Optional.of(CONFLICT);
        }
        return Optional.empty();
    }
}
