package io.listsync.server.db;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbTransaction;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /**
     * Statements sent in one message (deferred writes, lookups), joined, by the statements: the application has a
     * few dozen such sequences, well under the bound (past it a sequence is joined anew each time).
     */
    private static final Map<List<String>, String> JOINED = new ConcurrentHashMap<>();
    private static final int MAX_JOINED = 256;

    private final DbTransaction tx;
    private final ThreadLocal<UnitOfWork> binding;
    /** Runs once the transaction has ended, committed or not: gives the {@link WriteGate} turn back. */
    private final Runnable ended;
    /** Whether the database takes several statements, a {@code COMMIT} among them, in one message (PostgreSQL). */
    private final boolean statementsShareAMessage;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Statement> deferred = new ArrayList<>();
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
        this.statementsShareAMessage = statementsShareAMessage;
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
        List<Object> found = new ArrayList<>(lookups.size());
        try {
            if (statementsShareAMessage && lookups.size() > 1) {
                lookUpTogether(lookups, found);
            } else {
                for (Lookup<?> lookup : lookups) {
                    try (PreparedStatement statement = connection().prepareStatement(lookup.sql())) {
                        bind(statement, 1, lookup.params());
                        try (ResultSet rows = statement.executeQuery()) {
                            found.add(lookup.read().apply(firstRow(rows)));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new DbClientException("A lookup failed", e);
        }
        return found;
    }

    private void lookUpTogether(List<Lookup<?>> lookups, List<Object> found) throws SQLException {
        List<String> statements = new ArrayList<>(lookups.size());
        lookups.forEach(lookup -> statements.add(lookup.sql()));
        try (PreparedStatement statement = connection().prepareStatement(joined(statements))) {
            int index = 1;
            for (Lookup<?> lookup : lookups) {
                index = bind(statement, index, lookup.params());
            }
            statement.execute();
            for (Lookup<?> lookup : lookups) {
                try (ResultSet rows = statement.getResultSet()) {
                    found.add(lookup.read().apply(firstRow(rows)));
                }
                statement.getMoreResults();
            }
        }
    }

    private static int bind(PreparedStatement statement, int first, Object[] params) throws SQLException {
        int index = first;
        for (Object param : params) {
            statement.setObject(index++, param);
        }
        return index;
    }

    private static Map<String, Object> firstRow(ResultSet rows) throws SQLException {
        if (!rows.next()) {
            return null;
        }
        ResultSetMetaData columns = rows.getMetaData();
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
            row.put(columns.getColumnLabel(i).toLowerCase(Locale.ROOT), rows.getObject(i));
        }
        return row;
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
        List<Statement> batch = List.copyOf(deferred);
        deferred.clear();
        try {
            if (!statementsShareAMessage) {
                for (Statement statement : batch) {
                    try (PreparedStatement write = connection().prepareStatement(statement.dml())) {
                        bind(write, 1, statement.params());
                        write.execute();
                    }
                }
                return;
            }
            List<String> statements = new ArrayList<>(batch.size() + 1);
            batch.forEach(statement -> statements.add(statement.dml()));
            if (withCommit) {
                statements.add("COMMIT");
            }
            try (PreparedStatement writes = connection().prepareStatement(joined(statements))) {
                int index = 1;
                for (Statement statement : batch) {
                    index = bind(writes, index, statement.params());
                }
                writes.execute();
            }
        } catch (SQLException e) {
            throw new DbClientException("A deferred write failed", e);
        }
    }

    /** The statements as one text, remembered: the same few sequences recur with every change. */
    private static String joined(List<String> statements) {
        String sql = JOINED.get(statements);
        if (sql == null) {
            sql = String.join("; ", statements);
            if (JOINED.size() < MAX_JOINED) {
                JOINED.put(statements, sql);
            }
        }
        return sql;
    }

    private record Statement(String dml, Object[] params) {
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
