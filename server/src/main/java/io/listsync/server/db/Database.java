package io.listsync.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbTransaction;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The database: a HikariCP pool under Helidon's DB client, migrated by Flyway at start-up. H2 (embedded, the
 * default) and PostgreSQL run the same migrations and the same SQL.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final DbClient client;
    private final String productName;
    private final Product product;
    private final WriteGate writes;
    /** The unit of work open on each thread, if any. */
    private final ThreadLocal<UnitOfWork> current = new ThreadLocal<>();

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.client = JdbcClientBuilder.create()
                // inside a unit of work, its own connection (which its lookups may have opened already)
                .connectionPool(() -> {
                    UnitOfWork unit = current.get();
                    return unit != null ? unit.lendToClient() : connection();
                })
                .build();
        this.productName = productName(dataSource);
        this.product = Product.of(productName);
        this.writes = WriteGate.forProduct(product, Duration.ofMillis(dataSource.getConnectionTimeout()));
    }

    /**
     * Opens the pool and brings the schema up to date.
     */
    public static Database open(DatabaseSettings settings) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(settings.url());
        settings.username().ifPresent(hikari::setUsername);
        settings.password().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setPoolName("listsync-db");
        // Lock waits between writers of one list are short; a request waiting longer than this is better refused.
        hikari.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            return new Database(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Connections the pool holds at most. */
    public int poolSize() {
        return dataSource.getMaximumPoolSize();
    }

    /**
     * Statements outside a transaction (each one auto-committed); for reads only, as writes must take their turn
     * (see {@link WriteGate}) through {@link #inTransaction}. Inside a {@link UnitOfWork} they run in
     * it, so a request reads its own writes, on one connection.
     */
    public DbExecute read() {
        UnitOfWork unit = current.get();
        return unit != null ? unit.tx() : client.execute();
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. Inside a
     * {@link UnitOfWork} (a request that commits as a whole) it joins that one instead, which commits or rolls back
     * everything together.
     */
    public <T> T inTransaction(Function<DbTransaction, T> work) {
        UnitOfWork joined = current.get();
        if (joined != null) {
            return work.apply(joined.tx());
        }
        try (UnitOfWork unit = beginUnitOfWork()) {
            T result = work.apply(unit.tx());
            unit.commit();
            return result;
        }
    }

    /**
     * Opens a transaction bound to this thread until it is committed, rolled back or closed; see {@link UnitOfWork}.
     */
    public UnitOfWork beginUnitOfWork() {
        if (current.get() != null) {
            throw new IllegalStateException("A unit of work is already open on this thread");
        }
        writes.enter();
        try {
            return new UnitOfWork(client.transaction(), current, writes::leave, product.statementsShareAMessage(),
                    this::connection);
        } catch (RuntimeException e) {
            writes.leave();
            throw e;
        }
    }

    /**
     * Runs the lookups in the current transaction, in order, in one round trip on PostgreSQL; only inside a
     * transaction. See {@link UnitOfWork#lookUp}.
     */
    public List<Object> lookUp(List<Lookup<?>> lookups) {
        UnitOfWork unit = current.get();
        if (unit == null) {
            throw new IllegalStateException("Lookups need a transaction");
        }
        return unit.lookUp(lookups);
    }

    /** Where the current transaction's {@link DeferredWrites deferred writes} go; only inside a transaction. */
    public DeferredWrites deferredWrites() {
        UnitOfWork unit = current.get();
        if (unit == null) {
            throw new IllegalStateException("Deferred writes need a transaction");
        }
        return unit;
    }

    /**
     * Runs {@code action} once the current transaction has committed (at once outside of one); never if it rolls
     * back. For what must follow a change but never announce one that did not happen: publishing, access notices.
     */
    public void afterCommit(Runnable action) {
        UnitOfWork unit = current.get();
        if (unit != null) {
            unit.afterCommit(action);
        } else {
            action.run();
        }
    }

    /** The database as its driver names it: {@code H2}, {@code PostgreSQL}. */
    public String product() {
        return productName;
    }

    private Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(e);
        }
    }

    /** Whether a connection can be had and answers. */
    public boolean ping() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
        dataSource.close();
    }

    private static String productName(HikariDataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(e);
        }
    }
}
