package io.listsync.server.realtime;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.listsync.broker.redis.ThrowawayRedis;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Metrics;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pub/sub is at-most-once, and a subscription whose backlog is full drops what comes next: a member-removed notice
 * can be lost. The channel must then learn the truth from the database, or a removed member keeps reading the list.
 */
class LostNoticeTest {

    private static final String PREFIX = "lostnotice:";

    @Test
    @DisplayName("a removal whose notice never arrived reaches the socket once the subscription overflows (4403), others stay")
    void removalReachesSocketAfterOverflow() throws Exception {
        try (ThrowawayRedis redis = ThrowawayRedis.start(); var db = TestDatabases.h2()) {
            Map<String, String> settings = new HashMap<>(db.settings());
            settings.put("broker.type", "redis");
            settings.put("broker.redis.uri", redis.uri());
            settings.put("broker.redis.channel-prefix", PREFIX);
            settings.put("broker.redis.subscription-backlog", "1");
            try (TestServer server = TestServer.start(settings);
                 RedisClient client = RedisClient.create(redis.uri());
                 StatefulRedisConnection<String, String> flooder = client.connect()) {
                var api = server.api();
                User owner = api.register();
                User friend = api.register();
                String listId = api.createList(owner, "Overflow");
                assertThat(api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                        json(Map.of("email", friend.email(), "role", "editor"))).status()).isEqualTo(201);
                assertThat(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                        json(Map.of("name", "milk"))).status()).isEqualTo(201);
                try (WsClient friendWs = WsClient.connect(server, listId, "token=" + friend.token());
                     WsClient ownerWs = WsClient.connect(server, listId, "token=" + owner.token())) {
                    friendWs.next();
                    ownerWs.next();
                    // the removal commits but its notice is never published: the same as a notice pub/sub lost
                    try (Connection sql = TestDatabases.connect(db);
                         PreparedStatement delete = sql.prepareStatement(
                                 "DELETE FROM list_members WHERE list_id = ? AND user_id = ?")) {
                        delete.setObject(1, java.util.UUID.fromString(listId));
                        delete.setObject(2, java.util.UUID.fromString(friend.id()));
                        assertThat(delete.executeUpdate()).isEqualTo(1);
                    }
                    assertThat(friendWs.poll(Duration.ofMillis(300))).as("nothing told the socket yet").isNull();
                    assertThat(friendWs.isClosed()).isFalse();

                    // a burst of stale copies of version 1 (the channel ignores them) overflows the backlog of 1
                    double rechecksBefore = Metrics.counter(server, "listsync.channels.rechecks");
                    double droppedBefore = Metrics.counter(server, "listsync.broker.dropped");
                    Instant deadline = Instant.now().plusSeconds(20);
                    while (!friendWs.isClosed() && Instant.now().isBefore(deadline)) {
                        flood(flooder, PREFIX + listId, 2_000);
                        friendWs.poll(Duration.ofMillis(200));
                    }
                    assertThat(friendWs.awaitClose(Duration.ofSeconds(10))).isEqualTo(4403);
                    assertThat(Metrics.counter(server, "listsync.broker.dropped")).isGreaterThan(droppedBefore);
                    assertThat(Metrics.counter(server, "listsync.channels.rechecks")).isGreaterThan(rechecksBefore);
                    assertThat(ownerWs.isClosed()).as("the owner is still a member").isFalse();
                    assertThat(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                            json(Map.of("name", "eggs"))).status()).isEqualTo(201);
                    assertThat(ownerWs.nextEvent().get("type").asText()).isEqualTo("item_created");
                }
            }
        }
    }

    private static void flood(StatefulRedisConnection<String, String> connection, String channel, int count) {
        RedisAsyncCommands<String, String> redis = connection.async();
        connection.setAutoFlushCommands(false);
        List<RedisFuture<Long>> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sent.add(redis.publish(channel, "1\n1\nitem_checked\n{}"));
        }
        connection.flushCommands();
        connection.setAutoFlushCommands(true);
        assertThat(LettuceFutures.awaitAll(10, TimeUnit.SECONDS, sent.toArray(new RedisFuture[0]))).isTrue();
    }
}
