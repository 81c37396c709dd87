package io.listsync.server.ops;

import io.listsync.broker.redis.ThrowawayRedis;
import io.listsync.server.support.Api;
import io.listsync.server.support.Await;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health as a load balancer and an operator see it.
 */
class HealthTest {

    @Test
    @DisplayName("a Redis outage makes the instance not ready and shows in /observe/health; REST keeps working; it recovers by itself")
    void brokerOutage() {
        try (ThrowawayRedis redis = ThrowawayRedis.start(); var db = TestDatabases.h2()) {
            Map<String, String> settings = new HashMap<>(db.settings());
            settings.put("broker.type", "redis");
            settings.put("broker.redis.uri", redis.uri());
            try (TestServer server = TestServer.start(settings)) {
                Api api = server.api();
                assertThat(api.get("/observe/health", null).status()).isEqualTo(200);
                assertThat(api.get("/observe/health/ready", null).status()).isEqualTo(200);

                redis.kill();
                Await.until(() -> api.get("/observe/health", null).status() == 503, Duration.ofSeconds(10));
                Api.Response all = api.get("/observe/health", null);
                assertThat(all.text()).contains("\"broker\"").contains("\"DOWN\"");
                assertThat(api.get("/observe/health/ready", null).status()).isEqualTo(503);
                // REST keeps working while the broker is away
                Api.User user = api.register();
                assertThat(api.createList(user, "During the outage")).isNotEmpty();

                redis.startAgain();
                Await.until(() -> api.get("/observe/health", null).status() == 200, Duration.ofSeconds(30));
                assertThat(api.get("/observe/health/ready", null).status()).isEqualTo(200);
                assertThat(api.get("/observe/health", null).text()).contains("\"resubscriptions\":1");
            }
        }
    }
}
