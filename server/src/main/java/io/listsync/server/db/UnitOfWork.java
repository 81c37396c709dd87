package io.listsync.server.db;

import io.helidon.dbclient.DbTransaction;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
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
public final class UnitOfWork implements AutoCloseable, DeferredWrites {

    private static final System.Logger LOG = System.getLogger(UnitOfWork.class.getName());

    private final DbTransaction tx;
    private final ThreadLocal<UnitOfWork> binding;
    /** Runs once the transaction has ended, committed or not: gives the {@link WriteGate} turn back. */
    private final Runnable ended;
    /** Whether the database takes several statements, a {@code COMMIT} among them, in one message (PostgreSQL). */
    private final boolean statementsShareAMessage;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Statement> deferred = new ArrayList<>();
    private boolean open = true;

    UnitOfWork(DbTransaction tx, ThreadLocal<UnitOfWork> binding, Runnable ended, boolean statementsShareAMessage) {
        this.tx = tx;
        this.binding = binding;
        this.ended = ended;
        this.statementsShareAMessage = statementsShareAMessage;
        binding.set(this);
    }

    /**
     * The transaction; every statement of the unit runs in it. The {@link #defer deferred} writes run first, so what
     * the caller reads next sees them.
     */
    public DbTransaction tx() {
        if (!deferred.isEmpty()) {
            runDeferred(false);
        }
        return tx;
    }

    @Override
    public void defer(String dml, Object... params) {
        requireOpen();
        deferred.add(new Statement(dml, params));
    }

    /**
     * Runs the deferred writes and commits, then runs the after-commit actions in the order they were registered.
     * On PostgreSQL the deferred writes and the {@code COMMIT} go in one message (one round trip; the driver, seeing
     * the transaction ended, sends nothing more when the transaction commits).
     *
     * @throws RuntimeException from a deferred write: nothing is committed (PostgreSQL skips a {@code COMMIT} after
     *                          an error) and the unit is still open, to be rolled back; from the commit: the unit
     *                          has ended
     */
    public void commit() {
        requireOpen();
        if (!deferred.isEmpty()) {
            runDeferred(statementsShareAMessage);
        }
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

    /** Runs {@code dml} as the unit's last statement and commits: {@link #defer} then {@link #commit()}. */
    public void commitWith(String dml, Object... params) {
        defer(dml, params);
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
        deferred.clear();
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

    /**
     * Sends the deferred writes: on PostgreSQL as one message (the driver splits it into statements sent together,
     * one round trip), with the {@code COMMIT} when {@code withCommit}; elsewhere (embedded H2, no round trips) one
     * by one. They are taken off the queue first: a failure is the transaction's, rolled back as a whole.
     */
    private void runDeferred(boolean withCommit) {
        List<Statement> batch = List.copyOf(deferred);
        deferred.clear();
        if (!statementsShareAMessage) {
            batch.forEach(statement -> tx.dml(statement.dml(), statement.params()));
            return;
        }
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Statement statement : batch) {
            sql.append(sql.isEmpty() ? "" : "; ").append(statement.dml());
            params.addAll(Arrays.asList(statement.params()));
        }
        if (withCommit) {
            sql.append("; COMMIT");
        }
        tx.dml(sql.toString(), params.toArray());
    }

    private record Statement(String dml, Object[] params) {
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
