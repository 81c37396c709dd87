package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keepalive, token expiry and shutdown, on servers with short intervals.
 */
class SocketLifecycleTest {

    private static TestServer start(TestDatabases.TestDatabase db, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(db.settings());
        settings.putAll(extra);
        return TestServer.start(settings);
    }

    @Test
    @DisplayName("pings arrive every interval; a client that answers stays; one that never answers is closed with 4408")
    void keepalive() {
        try (var db = TestDatabases.h2(); TestServer server = start(db, Map.of("realtime.ping-interval", "PT0.3S"))) {
            Api api = server.api();
            User owner = api.register();
            String listId = api.createList(owner, "Pings");
            try (WsClient answering = WsClient.connect(server.port(), listId, "token=" + owner.token(), null, true);
                 WsClient silent = WsClient.connect(server.port(), listId, "token=" + owner.token(), null, false)) {
                assertThat(answering.next().get("type").asText()).isEqualTo("hello");
                assertThat(silent.next().get("type").asText()).isEqualTo("hello");
                assertThat(silent.next().get("type").asText()).isEqualTo("ping");
                assertThat(silent.next().get("type").asText()).isEqualTo("ping");
                assertThat(silent.awaitClose()).isEqualTo(4408);
                // the answering client saw pings throughout and is still open
                int pings = 0;
                for (int i = 0; i < 5; i++) {
                    JsonNode frame = answering.next();
                    if ("ping".equals(frame.get("type").asText())) {
                        pings++;
                    }
                }
                assertThat(pings).isEqualTo(5);
                assertThat(answering.isClosed()).isFalse();
            }
        }
    }

    @Test
    @DisplayName("Helidon's HTTP idle-connection timeout closes idle HTTP connections but never a WebSocket: the keepalive judges those")
    void httpIdleTimeoutSparesSockets() throws Exception {
        try (var db = TestDatabases.h2(); TestServer server = start(db, Map.of(
                "server.idle-connection-timeout", "PT1S", "server.idle-connection-period", "PT0.2S"))) {
            Api api = server.api();
            User owner = api.register();
            String listId = api.createList(owner, "Idle");
            try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token());
                 java.net.Socket idleHttp = new java.net.Socket("127.0.0.1", server.port())) {
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
                idleHttp.setSoTimeout(10_000);
                assertThat(idleHttp.getInputStream().read()).as("the idle HTTP connection is closed").isEqualTo(-1);
                // the socket, idle just as long, is still open and live; a keepalive ping may come at any time (each
                // socket's first ping falls in its slice of the interval), nothing else may
                JsonNode idle = ws.poll(Duration.ofSeconds(1));
                if (idle != null) {
                    assertThat(idle.get("type").asText()).isEqualTo("ping");
                }
                assertThat(ws.isClosed()).isFalse();
                api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                        io.listsync.server.support.Api.json(Map.of("name", "still live")));
                assertThat(ws.nextEvent().get("type").asText()).isEqualTo("item_created");
            }
        }
    }

    @Test
    @DisplayName("a socket is closed with 4401 when its token expires")
    void tokenExpiry() throws Exception {
        try (var db = TestDatabases.h2(); TestServer server = start(db, Map.of("auth.access-token-ttl", "PT2S"))) {
            Api api = server.api();
            User owner = api.register();
            String listId = api.createList(owner, "Expiring");
            try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token())) {
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
                assertThat(ws.awaitClose()).isEqualTo(4401);
                // not before the token's exp (whole seconds, so up to 2 s after it was issued)
                assertThat(java.time.Instant.now()).isAfterOrEqualTo(expiresAt(owner.token()));
            }
        }
    }

    private static java.time.Instant expiresAt(String jwt) throws java.io.IOException {
        byte[] claims = java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
        return java.time.Instant.ofEpochSecond(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(claims).get("exp").asLong());
    }

    @Test
    @DisplayName("shutting the server down closes its sockets with 1001")
    void shutdown() {
        try (var db = TestDatabases.h2()) {
            TestServer server = start(db, Map.of());
            Api api = server.api();
            User owner = api.register();
            String listId = api.createList(owner, "Going away");
            try (WsClient ws = WsClient.connect(server, listId, "token=" + owner.token())) {
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
                server.close();
                assertThat(ws.awaitClose()).isEqualTo(1001);
            }
        }
    }
}
