package io.listsync.server.idempotency;

import io.listsync.server.support.Api.Response;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL has no lock timeout by default: a repeat waits for the first request with its key as long as that one
 * runs, then gets its answer (never 409). {@code pg_stat_activity} shows who waits, so the wait itself is tested here.
 */
@DisplayName("Idempotency-Key on PostgreSQL")
class PostgresIdempotencyContractTest extends IdempotencyContractTest {

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.postgres();
    }

    private static int sessionsWaitingForALock(Connection jdbc) {
        try (Statement s = jdbc.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("a repeat that arrives while the first is still running waits for it and gets its answer")
    void repeatWhileTheFirstRuns() throws Exception {
        User owner = api.register();
        String listId = api.createList(owner, "Slow");
        String items = "/api/v1/lists/" + listId + "/items";
        String key = UUID.randomUUID().toString();
        String body = json(Map.of("name", "Honey"));
        CompletableFuture<Response> first;
        CompletableFuture<Response> repeat;
        try (Connection jdbc = TestDatabases.connect(database)) {
            jdbc.setAutoCommit(false);
            // hold the list's row: the first request claims its key, then queues behind this lock
            try (PreparedStatement lock = jdbc.prepareStatement("SELECT version FROM lists WHERE id = ? FOR UPDATE")) {
                lock.setString(1, listId);
                lock.executeQuery().close();
            }
            try (Connection probe = TestDatabases.connect(database)) {
                first = CompletableFuture.supplyAsync(() -> keyed(a, "POST", items, owner, body, key), pool);
                Await.until(() -> sessionsWaitingForALock(probe) == 1, WAIT);
                repeat = CompletableFuture.supplyAsync(() -> keyed(b, "POST", items, owner, body, key), pool);
                Await.until(() -> sessionsWaitingForALock(probe) == 2, WAIT); // the repeat waits on the first's key
            }
            jdbc.rollback();
        }
        Response one = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Response two = repeat.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(one.status()).isEqualTo(201);
        assertThat(one.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(two.status()).isEqualTo(201);
        assertThat(two.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(two.text()).isEqualTo(one.text());
        assertThat(itemNames(owner, listId)).containsExactly("Honey");
    }

}
