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
 * closed with 1013 (try again later); a socket's place is free again once its connection ends. The tests' own
 * connections come from loopback, which is this machine's trusted proxy: they name their client with
 * {@code X-Forwarded-For}, as a reverse proxy on the machine would. A server per test, so that no socket of
 * another test counts.
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
        settings.put("server.host", "0.0.0.0"); // reachable on this machine's own network address too
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
                open.add(joined(listId, ann, ANN_PHONE));
            }
            for (int i = 0; i < 2; i++) {
                try (WsClient excess = viaProxy(listId, ann.token(), ANN_PHONE)) {
                    assertThat(excess.awaitClose()).isEqualTo(1013);
                    assertThat(excess.closeReason()).contains("user");
                }
            }
            assertThat(open).noneMatch(WsClient::isClosed);

            open.remove(0).close();
            open.remove(0).close();
            Await.until(() -> server.app().hub().openSockets() == 1, Duration.ofSeconds(10));
            open.add(joined(listId, ann, ANN_PHONE));
            open.add(joined(listId, ann, ANN_PHONE));
            try (WsClient excess = viaProxy(listId, ann.token(), ANN_PHONE)) {
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
                open.add(joined(bobs, bob, SHARED_WIFI));
            }
            open.add(joined(cats, cat, SHARED_WIFI));
            open.add(joined(cats, cat, SHARED_WIFI));
            // Cat holds 2 of her 3, but the address holds 5 of 5
            try (WsClient excess = viaProxy(cats, cat.token(), SHARED_WIFI)) {
                assertThat(excess.awaitClose()).isEqualTo(1013);
                assertThat(excess.closeReason()).contains("address");
            }
            // a refused token counts against nothing but is refused for the address first
            try (WsClient anonymous = viaProxy(cats, "garbage", SHARED_WIFI)) {
                assertThat(anonymous.awaitClose()).isEqualTo(1013);
            }

            open.remove(0).close();
            Await.until(() -> server.app().hub().openSockets() == 4, Duration.ofSeconds(10));
            open.add(joined(cats, cat, SHARED_WIFI));
        } finally {
            open.forEach(WsClient::close);
        }
        Await.until(() -> server.app().hub().openSockets() == 0, Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("behind the proxy each client counts by its own address: the nearest X-Forwarded-For hop not a proxy of ours")
    void perForwardedClient() {
        User bob = api.register();
        String bobs = api.createList(bob, "Bob's");
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(joined(bobs, api.register(), bobs, bob, SHARED_WIFI));
            }
            try (WsClient excess = viaProxy(bobs, bob.token(), SHARED_WIFI)) {
                assertThat(excess.awaitClose()).isEqualTo(1013);
            }
            // the same client through a second proxy hop of ours is still that client
            try (WsClient excess = viaProxy(bobs, bob.token(), SHARED_WIFI + ", 127.0.0.1")) {
                assertThat(excess.awaitClose()).isEqualTo(1013);
            }
            // a hop the client wrote itself, left of the one our proxy saw, changes nothing
            try (WsClient excess = viaProxy(bobs, bob.token(), "198.51.100.99, " + SHARED_WIFI)) {
                assertThat(excess.awaitClose()).isEqualTo(1013);
            }
            open.add(joined(bobs, api.register(), bobs, bob, "2001:db8::1"));
            open.add(joined(bobs, api.register(), bobs, bob, "198.51.100.7"));
            assertThat(open).noneMatch(WsClient::isClosed);
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    @DisplayName("a program on this machine (loopback, no X-Forwarded-For) is not capped")
    void localProgramsAreNotCapped() {
        User ann = api.register();
        String listId = api.createList(ann, "Ann's");
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) { // beyond both caps (3 per user, 5 per address)
                WsClient ws = WsClient.connect(server, listId, "token=" + ann.token());
                open.add(ws);
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
            }
            assertThat(open).noneMatch(WsClient::isClosed);
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    @DisplayName("a client that is not a trusted proxy cannot pick its address with X-Forwarded-For: it counts as itself")
    void forwardedForFromAClientIsIgnored() throws Exception {
        String ownAddress = networkAddress();
        User ann = api.register();
        String listId = api.createList(ann, "Ann's");
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                User member = api.register();
                share(listId, ann, member);
                WsClient ws = WsClient.connect(ownAddress, server.port(), "/api/v1/ws/lists/" + listId,
                        "token=" + member.token(), Map.of("X-Forwarded-For", "203.0.113." + (50 + i)), true);
                open.add(ws);
                assertThat(ws.next().get("type").asText()).isEqualTo("hello");
            }
            try (WsClient excess = WsClient.connect(ownAddress, server.port(), "/api/v1/ws/lists/" + listId,
                    "token=" + ann.token(), Map.of("X-Forwarded-For", "203.0.113.99"), true)) {
                assertThat(excess.awaitClose()).isEqualTo(1013);
                assertThat(excess.closeReason()).contains("address");
            }
        } finally {
            open.forEach(WsClient::close);
        }
    }

    /** A client of a reverse proxy on this machine, as the proxy forwards it. */
    private static final String ANN_PHONE = "203.0.113.10";
    private static final String SHARED_WIFI = "203.0.113.20";

    private WsClient viaProxy(String listId, String token, String forwardedFor) {
        return WsClient.connect("127.0.0.1", server.port(), "/api/v1/ws/lists/" + listId, "token=" + token,
                Map.of("X-Forwarded-For", forwardedFor), true);
    }

    private WsClient joined(String listId, User user, String forwardedFor) {
        WsClient ws = viaProxy(listId, user.token(), forwardedFor);
        assertThat(ws.next().get("type").asText()).isEqualTo("hello");
        return ws;
    }

    /** A new member of the owner's list joins from the forwarded client. */
    private WsClient joined(String listId, User member, String sameList, User owner, String forwardedFor) {
        share(sameList, owner, member);
        return joined(listId, member, forwardedFor);
    }

    private void share(String listId, User owner, User member) {
        assertThat(api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                Api.json(Map.of("email", member.email(), "role", "viewer"))).status()).isEqualTo(201);
    }

    /** This machine's own address on a network (not loopback), which reaches the server from "outside". */
    private static String networkAddress() throws java.net.SocketException {
        return java.net.NetworkInterface.networkInterfaces()
                .filter(n -> { try { return n.isUp() && !n.isLoopback(); } catch (java.net.SocketException e) { return false; } })
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .map(java.net.InetAddress::getHostAddress)
                .findFirst()
                .orElseThrow(() -> new AssertionError("this machine has no IPv4 network address besides loopback"));
    }
}
