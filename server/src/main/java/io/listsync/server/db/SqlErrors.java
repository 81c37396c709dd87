package io.listsync.server.db;

import java.sql.SQLException;

/**
 * Recognises the database errors the application answers in words, by SQLSTATE, the same on H2 and PostgreSQL.
 */
public final class SqlErrors {

    private static final String UNIQUE_VIOLATION = "23505";
    /** H2: "Timeout trying to lock table"; PostgreSQL: lock_not_available (a lock_timeout ran out). */
    private static final String H2_LOCK_TIMEOUT = "HYT00";
    private static final String PG_LOCK_NOT_AVAILABLE = "55P03";

    private SqlErrors() {
    }

    /** A unique index or primary key refused a row that already exists. */
    public static boolean isUniqueViolation(Throwable error) {
        return hasState(error, UNIQUE_VIOLATION);
    }

    /** Waiting for another transaction's row lock took too long. */
    public static boolean isLockTimeout(Throwable error) {
        return hasState(error, H2_LOCK_TIMEOUT) || hasState(error, PG_LOCK_NOT_AVAILABLE);
    }

    private static boolean hasState(Throwable error, String state) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
