package io.listsync.server.db;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbTransaction;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One database transaction bound to the thread that opened it: while it is open, {@link Database#inTransaction} and
 * {@link Database#read} on that thread run in it, and {@link Database#afterCommit} actions wait for its commit.
 * <p>
 * Every outermost {@code inTransaction} is one. A request that must commit as a whole (an {@code Idempotency-Key}
 * write, whose answer is stored with its change) opens one around the handler with {@link Database#beginUnitOfWork},
 * so everything the handler does becomes durable together, or not at all.
 * <p>
 * The unit holds its connection: Helidon's statements and the unit's own, in plain JDBC (its {@link #lookUp lookups}
 * and {@link #defer deferred writes}, several statements in one message, which Helidon's client cannot send), run on
 * the same one.
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
    /** Sends the unit's own statements: several, a {@code COMMIT} among them, in one message on PostgreSQL. */
    private final Messages messages;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Messages.Write> deferred = new ArrayList<>();
    /** Opens the transaction's connection, when its first statement needs one. */
    private final Supplier<Connection> pool;
    private Connection connection;
    /** Whether Helidon's transaction runs on {@link #connection} (then Helidon commits, rolls back and closes it). */
    private boolean lentToClient;
    private boolean open = true;

    UnitOfWork(DbTransaction tx, ThreadLocal<UnitOfWork> binding, Runnable ended, boolean statementsShareAMessage,
               Supplier<Connection> pool) {
        this.tx = tx;
        this.binding = binding;
        this.ended = ended;
        this.messages = new Messages(statementsShareAMessage);
        this.pool = pool;
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
        deferred.add(new Messages.Write(dml, params));
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
            runDeferred(messages.together());
        }
        open = false;
        unbind();
        try {
            if (clientNeverRan()) {
                commitOwn();
            } else {
                tx.commit();
            }
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
     * Runs each lookup, in order, after the {@link #defer deferred} writes, and gives what each read: on PostgreSQL in
     * one message (one round trip), elsewhere one by one. Each is a statement of its own, so under READ COMMITTED a
     * lookup after one that waited for a row lock sees what the lock's previous holder committed (a subquery of the
     * locking statement would not: it reads the snapshot taken before the wait).
     */
    public List<Object> lookUp(List<Lookup<?>> lookups) {
        requireOpen();
        if (!deferred.isEmpty()) {
            runDeferred(false);
        }
        try {
            return messages.lookUp(connection(), lookups);
        } catch (SQLException e) {
            throw new DbClientException("A lookup failed", e);
        }
    }

    /** The connection Helidon's transaction asks for: this unit's (so its lookups and statements share one). */
    Connection lendToClient() {
        Connection lent = connection();
        lentToClient = true;
        return lent;
    }

    private Connection connection() {
        if (connection == null) {
            Connection opened = pool.get();
            try {
                opened.setAutoCommit(false);
            } catch (SQLException e) {
                closeQuietly(opened);
                throw new DatabaseUnavailableException(e);
            }
            connection = opened;
        }
        return connection;
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
            if (clientNeverRan()) {
                rollbackOwn();
            } else {
                tx.rollback();
            }
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
     * Sends the deferred writes, on the unit's connection with plain JDBC (no statement of Helidon's client to build
     * per write): on PostgreSQL as one message (the driver splits it into statements sent together, one round trip),
     * with the {@code COMMIT} when {@code withCommit}; elsewhere (embedded H2, no round trips) one by one. They are
     * taken off the queue first: a failure is the transaction's, rolled back as a whole.
     */
    private void runDeferred(boolean withCommit) {
        List<Messages.Write> batch = List.copyOf(deferred);
        deferred.clear();
        try {
            messages.write(connection(), batch, withCommit);
        } catch (SQLException e) {
            throw new DbClientException("A deferred write failed", e);
        }
    }

    /**
     * Whether only the unit's own statements ran (lookups, deferred writes): Helidon's transaction has no connection
     * to end (it would not commit it), so the unit ends its own.
     */
    private boolean clientNeverRan() {
        return connection != null && !lentToClient;
    }

    private void commitOwn() {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new DbClientException("Commit failed", e);
        } finally {
            closeQuietly(connection);
        }
    }

    private void rollbackOwn() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "Rollback of a transaction whose connection is gone", e);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "Closing a connection failed", e);
        }
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
