package io.listsync.server.db;

/** No connection could be had from the pool. Answered with 503, not 500: the request may be retried. */
public final class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(Throwable cause) {
        super("Database unavailable", cause);
    }
}
