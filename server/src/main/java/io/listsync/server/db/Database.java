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
import java.util.function.Function;

/**
 * The database: a HikariCP pool under Helidon's DB client, migrated by Flyway at start-up. H2 (embedded, the
 * default) and PostgreSQL run the same migrations and the same SQL.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final DbClient client;
    private final String product;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.client = JdbcClientBuilder.create()
                .connectionPool(() -> {
                    try {
                        return dataSource.getConnection();
                    } catch (SQLException e) {
                        throw new DatabaseUnavailableException(e);
                    }
                })
                .build();
        this.product = productName(dataSource);
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

    /** Statements outside a transaction (each one auto-committed); for reads. */
    public DbExecute read() {
        return client.execute();
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     */
    public <T> T inTransaction(Function<DbTransaction, T> work) {
        DbTransaction tx = client.transaction();
        T result;
        try {
            result = work.apply(tx);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(tx, e);
            throw e;
        }
        tx.commit();
        return result;
    }

    /** {@code H2} or {@code PostgreSQL}. */
    public String product() {
        return product;
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

    private static void rollbackQuietly(DbTransaction tx, Throwable cause) {
        try {
            tx.rollback();
        } catch (RuntimeException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static String productName(HikariDataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(e);
        }
    }
}
