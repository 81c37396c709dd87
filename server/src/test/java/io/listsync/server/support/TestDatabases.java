package io.listsync.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

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

    /**
     * An H2 file database in a fresh temporary folder, as a server uses by default: it survives the servers that
     * use it (a restart reopens it from disk). {@code urlSettings} are appended to the URL (e.g. {@code ;LOCK_TIMEOUT=5000}).
     */
    public static TestDatabase h2File(String urlSettings) {
        Path dir;
        try {
            dir = Files.createTempDirectory("listsync-h2-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + urlSettings;
        return new TestDatabase() {
            @Override
            public Map<String, String> settings() {
                return Map.of("db.connection.url", url);
            }

            @Override
            public void close() {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // a temp folder
                }
            }
        };
    }

    /** A plain JDBC connection to a test database, for a test that looks at or holds rows itself. */
    public static Connection connect(TestDatabase database) throws SQLException {
        Map<String, String> settings = database.settings();
        return DriverManager.getConnection(settings.get("db.connection.url"),
                settings.getOrDefault("db.connection.username", ""), "");
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
