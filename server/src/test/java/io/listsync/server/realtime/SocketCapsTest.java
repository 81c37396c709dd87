package io.listsync.server.realtime;

import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code realtime.max-sockets-per-user} and {@code realtime.max-sockets-per-address}: sockets beyond a cap are
 * closed with 1013 (try again later); a socket's place is free again once its connection ends. A server per
 * test, so that no socket of another test counts.
 */
class SocketCapsTest {

    private TestDatabases.TestDatabase database;
    private TestServer server;
    private Api api;

    @BeforeEach
    void start() {
        database = TestDatabases.h2();
        Map<String, String> settings = new HashMap<>(database.settings());
        settings.put("realtime.max-sockets-per-user", "3");
        settings.put("realtime.max-sockets-per-address", "5");
        server = TestServer.start(settings);
        api = server.api();
    }

    @AfterEach
    void stop() {
        server.close();
        database.close();
    }

    @Test
    @DisplayName("a user's sockets beyond the per-user cap are closed with 1013; closing some frees places")
    void perUser() {
        User ann = api.register();
        String listId = api.createList(ann, "Ann's");
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(joined(listId, ann));
            }
            for (int i = 0; i < 2; i++) {
                try (WsClient excess = WsClient.connect(server, listId, "token=" + ann.token())) {
                    assertThat(excess.awaitClose()).isEqualTo(1013);
                    assertThat(excess.closeReason()).contains("user");
                }
            }
            assertThat(open).noneMatch(WsClient::isClosed);

            open.remove(0).close();
            open.remove(0).close();
            Await.until(() -> server.app().hub().openSockets() == 1, Duration.ofSeconds(10));
            open.add(joined(listId, ann));
            open.add(joined(listId, ann));
            try (WsClient excess = WsClient.connect(server, listId, "token=" + ann.token())) {
                assertThat(excess.awaitClose()).isEqualTo(1013);
            }
        } finally {
            open.forEach(WsClient::close);
        }
        Await.until(() -> server.app().hub().openSockets() == 0, Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("sockets from one address beyond the per-address cap are closed with 1013, whoever opens them")
    void perAddress() {
        User bob = api.register();
        User cat = api.register();
        String bobs = api.createList(bob, "Bob's");
        String cats = api.createList(cat, "Cat's");
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(joined(bobs, bob));
            }
            open.add(joined(cats, cat));
            open.add(joined(cats, cat));
            // Cat holds 2 of her 3, but the address holds 5 of 5
            try (WsClient excess = WsClient.connect(server, cats, "token=" + cat.token())) {
                assertThat(excess.awaitClose()).isEqualTo(1013);
                assertThat(excess.closeReason()).contains("address");
            }
            // a refused token counts against nothing but is refused for the address first
            try (WsClient anonymous = WsClient.connect(server, cats, "token=garbage")) {
                assertThat(anonymous.awaitClose()).isEqualTo(1013);
            }

            open.remove(0).close();
            Await.until(() -> server.app().hub().openSockets() == 4, Duration.ofSeconds(10));
            open.add(joined(cats, cat));
        } finally {
            open.forEach(WsClient::close);
        }
        Await.until(() -> server.app().hub().openSockets() == 0, Duration.ofSeconds(10));
    }

    private WsClient joined(String listId, User user) {
        WsClient ws = WsClient.connect(server, listId, "token=" + user.token());
        assertThat(ws.next().get("type").asText()).isEqualTo("hello");
        return ws;
    }
}
