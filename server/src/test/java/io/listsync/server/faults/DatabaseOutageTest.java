package io.listsync.server.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.listsync.server.support.Api;
import io.listsync.server.support.Await;
import io.listsync.server.support.LogCapture;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL drops the server's connections (an administrator's {@code pg_terminate_backend}, a failover) while
 * requests are in flight: they are answered 503 with {@code Retry-After}, never 500; the server recovers by itself,
 * and every write answered 201 is kept, with the version and the event log in agreement.
 */
class DatabaseOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITERS = 8;

    @Test
    @DisplayName("connections terminated mid-request: 503 with Retry-After, never 500, then recovery with nothing lost")
    void terminatedConnections() throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.postgres();
             TestServer server = TestServer.start(db.settings())) {
            Api api = server.api();
            Api.User user = api.register();
            String listId = api.createList(user, "Outage");
            String items = "/api/v1/lists/" + listId + "/items";

            // an invitee's request that meets the outage: its 503 is logged, and the code in its path must not be
            String inviteCode = "SECRET" + java.util.UUID.randomUUID().toString().replace("-", "");
            String invitePath = "/api/v1/invites/" + inviteCode;
            List<Api.Response> inviteUnavailable = new CopyOnWriteArrayList<>();

            Set<String> created = ConcurrentHashMap.newKeySet();
            List<Api.Response> unavailable = new CopyOnWriteArrayList<>();
            List<Api.Response> unexpected = new CopyOnWriteArrayList<>();
            AtomicInteger createdAfterOutage = new AtomicInteger();
            AtomicBoolean outageOver = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            try (LogCapture logs = new LogCapture();
                 ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                 Connection admin = connect(db)) {
                List<Future<?>> writers = new ArrayList<>();
                writers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        Api.Response r = api.post(invitePath + "/accept", user.token(), "{}");
                        switch (r.status()) {
                            case 404 -> { }
                            case 503 -> inviteUnavailable.add(r);
                            default -> unexpected.add(r);
                        }
                    }
                    return null;
                }));
                for (int w = 0; w < WRITERS; w++) {
                    String prefix = "w" + w + "-";
                    writers.add(pool.submit(() -> {
                        for (int n = 0; !stop.get(); n++) {
                            Api.Response r = api.post(items, user.token(), json(Map.of("name", prefix + n)));
                            switch (r.status()) {
                                case 201 -> {
                                    created.add(r.json().get("id").asText());
                                    if (outageOver.get()) {
                                        createdAfterOutage.incrementAndGet();
                                    }
                                }
                                case 503 -> unavailable.add(r);
                                default -> unexpected.add(r);
                            }
                        }
                        return null;
                    }));
                }
                try {
                    Await.until(() -> created.size() >= 20 || !unexpected.isEmpty(), Duration.ofSeconds(30));
                    // terminate every connection of the server, again and again, until requests in flight met it
                    Await.until(() -> terminateServerConnections(admin) >= 0
                            && (unavailable.size() >= 3 && !inviteUnavailable.isEmpty() || !unexpected.isEmpty()),
                            Duration.ofSeconds(60));
                    outageOver.set(true);
                    Await.until(() -> createdAfterOutage.get() >= 50 || !unexpected.isEmpty(), Duration.ofSeconds(60));
                } finally {
                    stop.set(true);
                }
                for (Future<?> writer : writers) {
                    writer.get(60, TimeUnit.SECONDS);
                }
                assertThat(logs.problems()).as("503s are logged").isNotEmpty();
                assertThat(logs.all()).as("no log line holds the invite code")
                        .noneMatch(line -> line.contains(inviteCode));
                // the invitee's 503 was logged as a problem, naming the path with its code masked
                assertThat(logs.problems()).as("the invite's 503 is logged, its code masked")
                        .anyMatch(line -> line.contains("Database unavailable during POST /api/v1/invites/***/accept"));
            }

            assertThat(unexpected).as("answers other than 201 and 503").isEmpty();
            assertThat(unavailable).allSatisfy(r -> {
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.headers().firstValue("retry-after")).isPresent();
                assertThat(r.json().get("status").asInt()).isEqualTo(503);
            });

            JsonNode snapshot = api.get(items, user.token()).json();
            Set<String> stored = new HashSet<>();
            snapshot.get("items").forEach(item -> stored.add(item.get("id").asText()));
            assertThat(stored).as("every item answered 201 is stored").containsAll(created);
            long version = snapshot.get("version").asLong();
            assertThat(version).as("one version per stored item").isEqualTo(stored.size());
            try (Connection c = connect(db)) {
                assertThat(eventLog(c, listId)).as("the log created exactly the stored items, one version each")
                        .isEqualTo(stored);
            }
        }
    }

    /** Terminates every backend connected to the server's database but this one; returns how many. */
    private static int terminateServerConnections(Connection admin) {
        try (PreparedStatement terminate = admin.prepareStatement("SELECT count(pg_terminate_backend(pid)) "
                + "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
             ResultSet rs = terminate.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ids the list's log created, checking the versions run 1..n without a gap. */
    private static Set<String> eventLog(Connection c, String listId) throws Exception {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement log = c.prepareStatement(
                "SELECT version, type, payload FROM list_events WHERE list_id = ? ORDER BY version")) {
            log.setString(1, listId);
            try (ResultSet rs = log.executeQuery()) {
                long expected = 1;
                while (rs.next()) {
                    assertThat(rs.getLong("version")).isEqualTo(expected++);
                    assertThat(rs.getString("type")).isEqualTo("item_created");
                    assertThat(ids.add(JSON.readTree(rs.getString("payload")).at("/data/id").asText())).isTrue();
                }
            }
        }
        return ids;
    }

    private static Connection connect(TestDatabases.TestDatabase db) throws SQLException {
        Map<String, String> settings = db.settings();
        return DriverManager.getConnection(settings.get("db.connection.url"), settings.get("db.connection.username"),
                "");
    }
}
