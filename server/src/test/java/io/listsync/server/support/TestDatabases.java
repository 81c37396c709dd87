package io.listsync.server.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * Fresh, isolated databases for tests: an in-memory H2 database, or a new database on the PostgreSQL server at
 * 127.0.0.1:5432 (trust auth; override with LISTSYNC_TEST_PG_URL / LISTSYNC_TEST_PG_USER). A PostgreSQL test whose
 * server is down fails: it is never skipped.
 */
public final class TestDatabases {

    private static final String PG_ADMIN_URL =
            System.getenv().getOrDefault("LISTSYNC_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String PG_USER = System.getenv().getOrDefault("LISTSYNC_TEST_PG_USER", "postgres");

    private TestDatabases() {
    }

    /** A database and how to drop it. */
    public interface TestDatabase extends AutoCloseable {
        /** {@code db.*} configuration keys for the server. */
        Map<String, String> settings();

        @Override
        void close();
    }

    public static TestDatabase h2() {
        String url = "jdbc:h2:mem:listsync-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
        return new TestDatabase() {
            @Override
            public Map<String, String> settings() {
                return Map.of("db.connection.url", url);
            }

            @Override
            public void close() {
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                } catch (SQLException ignored) {
                    // already gone
                }
            }
        };
    }

    public static TestDatabase postgres() {
        String name = "listsync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name);
        String url = PG_ADMIN_URL.substring(0, PG_ADMIN_URL.lastIndexOf('/') + 1) + name;
        return new TestDatabase() {
            @Override
            public Map<String, String> settings() {
                return Map.of("db.connection.url", url, "db.connection.username", PG_USER);
            }

            @Override
            public void close() {
                admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        };
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_ADMIN_URL + " is needed for this test: " + e, e);
        }
    }
}
