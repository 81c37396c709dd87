package io.listsync.server.idempotency;

import io.listsync.server.support.Api.Response;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Idempotency-Key on embedded H2 (a file database, as a server uses by default)")
class H2IdempotencyContractTest extends IdempotencyContractTest {

    /** H2 bounds every lock wait; long enough for the tests that hold a first request, short for the one that waits it out. */
    private static final int LOCK_TIMEOUT_MS = 3000;

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.h2File(";LOCK_TIMEOUT=" + LOCK_TIMEOUT_MS);
    }

    @Test
    @DisplayName("a repeat that waits longer than H2's lock timeout for the first is told 409 with Retry-After: 1; "
            + "once the first is gone, the key is free")
    void inFlightBeyondTheLockTimeout() throws SQLException {
        User owner = api.register();
        String listId = api.createList(owner, "Patience");
        String items = "/api/v1/lists/" + listId + "/items";
        String key = UUID.randomUUID().toString();
        String body = json(Map.of("name", "Vinegar"));
        try (Connection first = TestDatabases.connect(database)) {
            // what a first request holds while it runs: its key's row, uncommitted
            first.setAutoCommit(false);
            try (PreparedStatement claim = first.prepareStatement("INSERT INTO idempotency_keys "
                    + "(user_id, idem_key, method, path, body_hash, created_at) VALUES (?, ?, 'POST', ?, 'x', CURRENT_TIMESTAMP)")) {
                claim.setString(1, owner.id());
                claim.setString(2, key);
                claim.setString(3, items);
                claim.executeUpdate();
            }
            Response busy = keyed(a, "POST", items, owner, body, key);
            assertProblem(busy, 409, "still being processed");
            assertThat(busy.headers().firstValue("Retry-After")).contains("1");
            first.rollback(); // the first failed (a 5xx is not remembered)
        }
        Response retried = keyed(b, "POST", items, owner, body, key);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }
}
