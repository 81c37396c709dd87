package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket that starts joining while PostgreSQL refuses the server's connections gets a close (1011: reconnect)
 * within a bounded time, never silence for the whole outage; once the database is back, sockets join again.
 */
class JoinDuringOutageTest {

    private static final String PG_ADMIN_URL =
            System.getenv().getOrDefault("LISTSYNC_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String PG_USER = System.getenv().getOrDefault("LISTSYNC_TEST_PG_USER", "postgres");
    /** The pool waits 10 s for a connection; the rest is slack for a busy machine. */
    private static final Duration BOUND = Duration.ofSeconds(25);

    @Test
    @DisplayName("joining during a database outage gets 1011 within the pool timeout, on a watched and an unwatched list; after it, hello")
    void joinDuringOutage() {
        try (var db = TestDatabases.postgres(); TestServer server = TestServer.start(db.settings())) {
            String database = databaseName(db.settings().get("db.connection.url"));
            Api api = server.api();
            User owner = api.register();
            String watched = api.createList(owner, "Watched");
            String unwatched = api.createList(owner, "Unwatched");
            try (WsClient watcher = WsClient.connect(server, watched, "token=" + owner.token())) {
                assertThat(watcher.next().get("type").asText()).isEqualTo("hello");

                admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
                try {
                    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
                    long start = System.nanoTime();
                    try (WsClient toWatched = WsClient.connect(server, watched, "token=" + owner.token());
                         WsClient toUnwatched = WsClient.connect(server, unwatched, "token=" + owner.token())) {
                        for (WsClient joining : new WsClient[] {toWatched, toUnwatched}) {
                            assertThat(joining.awaitClose(BOUND)).isEqualTo(1011);
                            assertThat(joining.closeReason()).contains("reconnect");
                        }
                    }
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
                } finally {
                    admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
                }

                for (String listId : new String[] {watched, unwatched}) {
                    try (WsClient back = joinWhenBack(server, listId, owner)) {
                        assertThat(back.isClosed()).isFalse();
                    }
                }
                // the socket that was open all along still gets every change
                assertThat(api.post("/api/v1/lists/" + watched + "/items", owner.token(),
                        json(Map.of("name", "after the outage"))).status()).isEqualTo(201);
                JsonNode event = watcher.nextEvent();
                assertThat(event.get("type").asText()).isEqualTo("item_created");
                assertThat(event.get("version").asLong()).isEqualTo(1);
            }
        }
    }

    /**
     * The pool may still hand out a connection the outage broke: the 1011 that gets is what clients retry on,
     * after a pause, as the web app does with its backoff.
     */
    private static WsClient joinWhenBack(TestServer server, String listId, User owner) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            WsClient ws = WsClient.connect(server, listId, "token=" + owner.token());
            JsonNode first = null;
            while (first == null && !ws.isClosed() && System.nanoTime() < deadline) {
                first = ws.poll(Duration.ofMillis(100));
            }
            if (first != null && "hello".equals(first.get("type").asText())) {
                return ws;
            }
            ws.close();
            assertThat(System.nanoTime()).as("joined again within " + BOUND).isLessThan(deadline);
            ws.poll(Duration.ofMillis(200)); // the retry's backoff (the socket is closed: nothing comes)
        }
    }

    private static String databaseName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
