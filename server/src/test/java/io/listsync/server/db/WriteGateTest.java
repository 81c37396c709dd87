package io.listsync.server.db;

import io.listsync.server.support.Await;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On embedded H2 one writing transaction runs at a time, so a kill never leaves a chunk holding another
 * transaction's half-done work (see {@link WriteGate}); PostgreSQL writers run side by side.
 */
@DisplayName("Write transactions: one at a time on embedded H2, side by side on PostgreSQL")
class WriteGateTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    @DisplayName("on an H2 file database a second writer begins only after the first has committed")
    void h2WritersTakeTurns() throws Exception {
        try (TestDatabase h2 = TestDatabases.h2File(""); Database db = open(h2)) {
            List<String> happened = new CopyOnWriteArrayList<>();
            UnitOfWork first = db.beginUnitOfWork();
            first.tx().dml("INSERT INTO users (id, email, display_name, password_hash, created_at) "
                    + "VALUES ('u1', 'a@example.com', 'A', 'x', CURRENT_TIMESTAMP)");
            Thread second = Thread.ofVirtual().start(() -> {
                db.inTransaction(tx -> happened.add("second began"));
            });
            Await.until(() -> second.getState() == Thread.State.TIMED_WAITING, TIMEOUT); // parked at the gate
            assertThat(happened).isEmpty();
            happened.add("first committed");
            first.commit();
            second.join(TIMEOUT);
            assertThat(happened).containsExactly("first committed", "second began");
        }
    }

    @Test
    @DisplayName("on PostgreSQL a second writer begins while the first is still open")
    void postgresWritersOverlap() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres(); Database db = open(pg)) {
            try (UnitOfWork first = db.beginUnitOfWork()) {
                first.tx().dml("INSERT INTO users (id, email, display_name, password_hash, created_at) "
                        + "VALUES ('u1', 'a@example.com', 'A', 'x', CURRENT_TIMESTAMP)");
                Thread second = Thread.ofVirtual().start(() -> db.inTransaction(tx -> tx.get("SELECT 1 AS one")));
                assertThat(second.join(TIMEOUT)).as("ran to its end while the first was open").isTrue();
                assertThat(first.isOpen()).isTrue();
            }
        }
    }

    @Test
    @DisplayName("a writer kept waiting longer than for a pooled connection is refused as unavailable (503)")
    void waitingTooLongIsUnavailable() throws Exception {
        WriteGate gate = WriteGate.forProduct(Product.H2, Duration.ofMillis(50));
        gate.enter();
        List<Throwable> refused = new CopyOnWriteArrayList<>();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                gate.enter();
            } catch (RuntimeException e) {
                refused.add(e);
            }
        });
        assertThat(other.join(TIMEOUT)).isTrue();
        assertThat(refused).singleElement().isInstanceOf(DatabaseUnavailableException.class);
        gate.leave();
        gate.enter(); // the turn is free again
        gate.leave();
    }

    private static Database open(TestDatabase database) {
        Map<String, String> s = database.settings();
        return Database.open(new DatabaseSettings(DatabaseSettings.withFileDefaults(s.get("db.connection.url")),
                Optional.ofNullable(s.get("db.connection.username")), Optional.empty(), 4));
    }
}
