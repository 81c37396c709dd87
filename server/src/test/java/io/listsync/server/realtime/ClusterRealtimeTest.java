package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.Teardown;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import io.listsync.server.support.Writers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server instances, each with its own Redis broker (the real Redis at 127.0.0.1:6379), sharing one PostgreSQL
 * database: what an operator runs behind a load balancer. {@link RedisClusterRealtimeTest} runs the same tests with
 * the brokers on a Redis Cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterRealtimeTest {

    private TestDatabases.TestDatabase database;
    private TestServer a;
    private TestServer b;

    @BeforeAll
    void start() {
        database = TestDatabases.postgres();
        Map<String, String> settings = new HashMap<>(database.settings());
        settings.put("broker.type", "redis");
        settings.put("broker.redis.channel-prefix", "test-" + UUID.randomUUID() + ":list:");
        settings.putAll(redisSettings());
        a = TestServer.start(settings);
        b = TestServer.start(settings);
    }

    /** Where the brokers find Redis: the one at 127.0.0.1:6379. */
    protected Map<String, String> redisSettings() {
        return Map.of("broker.redis.uri", TestServer.localRedisUri());
    }

    @AfterAll
    void stop() {
        Teardown.closeAll(a, b, database);
    }

    @Test
    @DisplayName("both instances report Redis as their broker in health")
    void health() {
        for (TestServer server : List.of(a, b)) {
            Api.Response health = server.api().get("/observe/health", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.text()).contains("\"type\":\"redis\"").contains("\"state\":\"UP\"");
        }
    }

    @Test
    @DisplayName("a change made through instance A reaches a socket on instance B, and the reverse")
    void crossInstance() {
        User owner = a.api().register();
        User friend = a.api().register();
        String listId = a.api().createList(owner, "Cluster");
        assertThat(a.api().post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", friend.email(), "role", "editor"))).status()).isEqualTo(201);

        try (WsClient onA = WsClient.connect(a, listId, "token=" + owner.token());
             WsClient onB = WsClient.connect(b, listId, "token=" + friend.token())) {
            onA.next();
            onB.next();
            JsonNode item = a.api().post("/api/v1/lists/" + listId + "/items", owner.token(),
                    json(Map.of("name", "from A"))).json();
            JsonNode onBEvent = onB.nextEvent();
            assertThat(onBEvent.get("type").asText()).isEqualTo("item_created");
            assertThat(onBEvent.get("data")).isEqualTo(item);
            assertThat(onA.nextEvent().get("version").asLong()).isEqualTo(1);

            b.api().post("/api/v1/lists/" + listId + "/items/" + item.get("id").asText() + "/check",
                    friend.token(), null);
            assertThat(onA.nextEvent().get("type").asText()).isEqualTo("item_checked");
            assertThat(onB.nextEvent().get("version").asLong()).isEqualTo(2);

            // access ends on every instance
            a.api().delete("/api/v1/lists/" + listId + "/members/" + friend.id(), owner.token());
            assertThat(onB.awaitClose()).isEqualTo(4403);
            b.api().delete("/api/v1/lists/" + listId, owner.token());
            assertThat(onA.awaitClose()).isEqualTo(4404);
        }
    }

    @Test
    @DisplayName("writers on both instances at once: every socket on both sees every version once, in order")
    void concurrentWritersAcrossInstances() {
        User owner = a.api().register();
        String listId = a.api().createList(owner, "Busy cluster");
        List<WsClient> clients = new ArrayList<>();
        try {
            for (TestServer server : List.of(a, b, a, b)) {
                WsClient ws = WsClient.connect(server, listId, "token=" + owner.token());
                ws.next();
                clients.add(ws);
            }
            int writes = 100;
            Writers.createItemsConcurrently(List.of(a.api(), b.api()), owner, listId, writes);
            for (WsClient ws : clients) {
                assertThat(ws.nextVersions(writes)).isEqualTo(LongStream.rangeClosed(1, writes).boxed().toList());
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
