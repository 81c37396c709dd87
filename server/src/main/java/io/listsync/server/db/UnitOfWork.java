package io.listsync.server.db;

import io.helidon.dbclient.DbTransaction;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * One database transaction bound to the thread that opened it: while it is open, {@link Database#inTransaction} and
 * {@link Database#read} on that thread run in it, and {@link Database#afterCommit} actions wait for its commit.
 * <p>
 * Every outermost {@code inTransaction} is one. A request that must commit as a whole (an {@code Idempotency-Key}
 * write, whose answer is stored with its change) opens one around the handler with {@link Database#beginUnitOfWork},
 * so everything the handler does becomes durable together, or not at all.
 * <p>
 * Not thread-safe: it belongs to the thread that opened it (Helidon runs a request's filters, handler and response
 * writing on one virtual thread).
 */
public final class UnitOfWork implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UnitOfWork.class.getName());

    private final DbTransaction tx;
    private final ThreadLocal<UnitOfWork> binding;
    /** Runs once the transaction has ended, committed or not: gives the {@link WriteGate} turn back. */
    private final Runnable ended;
    /** Whether the database takes a {@code COMMIT} in the message of the statement before it (PostgreSQL). */
    private final boolean commitRidesLastStatement;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private boolean open = true;

    UnitOfWork(DbTransaction tx, ThreadLocal<UnitOfWork> binding, Runnable ended, boolean commitRidesLastStatement) {
        this.tx = tx;
        this.binding = binding;
        this.ended = ended;
        this.commitRidesLastStatement = commitRidesLastStatement;
        binding.set(this);
    }

    /** The transaction; every statement of the unit runs in it. */
    public DbTransaction tx() {
        return tx;
    }

    /** Commits, then runs the after-commit actions in the order they were registered. */
    public void commit() {
        requireOpen();
        open = false;
        unbind();
        try {
            tx.commit();
        } finally {
            ended.run();
        }
        for (Runnable action : afterCommit) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // the change is durable; what follows it (publishing, notices) has its own recovery
                LOG.log(Level.WARNING, "An after-commit action failed", e);
            }
        }
    }

    /**
     * Runs {@code dml} as the unit's last statement and commits, as {@link #commit()} does. On PostgreSQL the
     * statement carries the {@code COMMIT} ({@code dml; COMMIT}, one round trip instead of two; the driver, seeing
     * the transaction ended, sends nothing more when the unit commits).
     *
     * @throws RuntimeException from the statement: nothing is committed (PostgreSQL skips a {@code COMMIT} after an
     *                          error) and the unit is still open, to be rolled back; from the commit: the unit has
     *                          ended
     */
    public void commitWith(String dml, Object... params) {
        requireOpen();
        tx.dml(commitRidesLastStatement ? dml + "; COMMIT" : dml, params);
        commit();
    }

    /**
     * Rolls back; the after-commit actions are dropped. After a failed statement Helidon has already given the
     * connection back to the pool (which rolls it back): that is not an error here.
     */
    public void rollback() {
        requireOpen();
        open = false;
        unbind();
        afterCommit.clear();
        try {
            tx.rollback();
        } catch (RuntimeException alreadyGone) {
            LOG.log(Level.DEBUG, "Rollback of a transaction whose connection is gone", alreadyGone);
        } finally {
            ended.run();
        }
    }

    /** Whether it is neither committed nor rolled back. */
    public boolean isOpen() {
        return open;
    }

    /** Rolls back unless committed or rolled back already. */
    @Override
    public void close() {
        if (open) {
            rollback();
        }
    }

    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    private void requireOpen() {
        if (!open) {
            throw new IllegalStateException("The unit of work is already finished");
        }
    }

    private void unbind() {
        if (binding.get() == this) {
            binding.remove();
        }
    }
}
