package io.listsync.server.db;

import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writes a change defers to its commit (its version bump, its event-log row) are part of the transaction like
 * any other: committed with it, seen by what it reads afterwards, and gone with it when any of them fails.
 */
@DisplayName("Deferred writes, on embedded H2 and on PostgreSQL")
class DeferredWritesTest {

    private static final String INSERT_USER = "INSERT INTO users (id, email, display_name, password_hash, created_at) "
            + "VALUES (?, ?, 'A', 'x', CURRENT_TIMESTAMP)";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    @DisplayName("committed with the transaction, after its own statements")
    void committedWithTheTransaction(String product) throws Exception {
        try (TestDatabase database = database(product); Database db = open(database)) {
            db.inTransaction(tx -> {
                tx.dml(INSERT_USER, "u1", "one@example.com");
                db.deferredWrites().defer("UPDATE users SET display_name = ? WHERE id = ?", "Deferred", "u1");
                db.deferredWrites().defer(INSERT_USER, "u2", "two@example.com");
                return null;
            });
            assertThat(names(db)).isEqualTo("u1=Deferred,u2=A");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    @DisplayName("a read later in the same transaction sees them")
    void readYourDeferredWrites(String product) throws Exception {
        try (TestDatabase database = database(product); Database db = open(database)) {
            String seen = db.inTransaction(tx -> {
                db.deferredWrites().defer(INSERT_USER, "u1", "one@example.com");
                return names(db);
            });
            assertThat(seen).isEqualTo("u1=A");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    @DisplayName("one failing at the commit rolls back the whole transaction, and the caller is told")
    void failureRollsBackEverything(String product) throws Exception {
        try (TestDatabase database = database(product); Database db = open(database)) {
            assertThatThrownBy(() -> db.inTransaction(tx -> {
                tx.dml(INSERT_USER, "u1", "one@example.com");
                db.deferredWrites().defer(INSERT_USER, "u2", "two@example.com");
                db.deferredWrites().defer(INSERT_USER, "u3", "one@example.com"); // the e-mail is taken
                return null;
            })).isInstanceOf(RuntimeException.class);
            assertThat(names(db)).isEmpty();
            // the pool's connection is fine afterwards
            db.inTransaction(tx -> tx.dml(INSERT_USER, "u4", "four@example.com"));
            assertThat(names(db)).isEqualTo("u4=A");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    @DisplayName("dropped when the transaction rolls back")
    void droppedOnRollback(String product) throws Exception {
        try (TestDatabase database = database(product); Database db = open(database)) {
            try (UnitOfWork unit = db.beginUnitOfWork()) {
                unit.defer(INSERT_USER, "u1", "one@example.com");
                unit.rollback();
            }
            assertThat(names(db)).isEmpty();
        }
    }

    private static String names(Database db) {
        return String.join(",", db.read().query("SELECT id, display_name FROM users ORDER BY id")
                .map(row -> row.column("id").getString() + "=" + row.column("display_name").getString())
                .toList());
    }

    private static TestDatabase database(String product) {
        return product.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
    }

    private static Database open(TestDatabase database) {
        Map<String, String> s = database.settings();
        return Database.open(new DatabaseSettings(s.get("db.connection.url"),
                Optional.ofNullable(s.get("db.connection.username")), Optional.empty(), 4));
    }
}
