package io.listsync.server.realtime;

import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay republishes what the broker never acknowledged, so what it acknowledged must reach
 * {@code lists.published_version} (written in batches), on both databases; otherwise every change would be
 * published twice.
 */
class RelayBookkeepingTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void acknowledgedVersionsAreRecorded(String database) throws Exception {
        try (var db = database.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
             TestServer server = TestServer.start(db.settings())) {
            Api api = server.api();
            User owner = api.register();
            List<String> lists = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                lists.add(api.createList(owner, "List " + i));
            }
            for (int round = 0; round < 3; round++) {
                for (String listId : lists) {
                    assertThat(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                            json(Map.of("name", "item " + round))).status()).isEqualTo(201);
                }
            }
            try (Connection sql = TestDatabases.connect(db)) {
                Await.until(() -> lagging(sql) == 0, Duration.ofSeconds(10));
                assertThat(count(sql, "SELECT COUNT(*) FROM lists WHERE published_version = 3")).isEqualTo(30);
            }
            assertThat(server.app().relay().relayed()).as("nothing was republished").isZero();
        }
    }

    private static long lagging(Connection sql) {
        return count(sql, "SELECT COUNT(*) FROM lists WHERE published_version < version");
    }

    private static long count(Connection sql, String query) {
        try (Statement s = sql.createStatement(); ResultSet rows = s.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
