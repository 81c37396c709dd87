package io.listsync.server.db;

import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * On embedded H2, lets one writing transaction at a time in; on PostgreSQL, everyone.
 * <p>
 * Why: H2's MVStore writes a chunk of the whole store at every commit ({@code WRITE_DELAY=0}), and that chunk holds
 * what still-open transactions have written so far. After a kill, recovery can find such a transaction's change to
 * one row without the undo record that would take it back, and keeps it: a list's version and its event log no
 * longer agree. (Eight raw JDBC writers and a kill every 0.2-0.6 s broke it at the 41st and at the 9th kill of two
 * runs; taking turns, 230 kills left it intact.) With one writer at a time, no chunk holds another transaction's
 * half-done work. Writers of one list queue on its row lock anyway; on H2 the queue covers every write, which is
 * the price of the zero-set-up default.
 * <p>
 * A semaphore, not a lock: a transaction may end on another thread than the one that began it.
 */
final class WriteGate {

    private final Semaphore permit;
    private final Duration wait;

    private WriteGate(Semaphore permit, Duration wait) {
        this.permit = permit;
        this.wait = wait;
    }

    static WriteGate forProduct(Product product, Duration wait) {
        return new WriteGate(product.writersTakeTurns() ? new Semaphore(1, true) : null, wait);
    }

    /** Waits for the turn to write, at most as long as for a pooled connection; then 503. */
    void enter() {
        if (permit == null) {
            return;
        }
        try {
            if (!permit.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new DatabaseUnavailableException(new SQLTimeoutException(
                        "No turn to write to the embedded database within " + wait.toMillis() + " ms"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException(e);
        }
    }

    /** Gives the turn to the next writer; once per {@link #enter()}. */
    void leave() {
        if (permit != null) {
            permit.release();
        }
    }
}
