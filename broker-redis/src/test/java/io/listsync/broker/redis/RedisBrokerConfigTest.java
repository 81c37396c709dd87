package io.listsync.broker.redis;

import io.listsync.broker.BrokerException;
import io.listsync.broker.kit.Await;
import io.listsync.broker.spi.BrokerSettings;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Redis broker settings")
class RedisBrokerConfigTest {

    @Test
    @DisplayName("default to the local Redis and the listsync:list: channel prefix")
    void defaults() {
        RedisBrokerConfig config = RedisBrokerConfig.from(BrokerSettings.empty());

        assertThat(config).isEqualTo(RedisBrokerConfig.defaults());
        assertThat(config.uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(config.channelPrefix()).isEqualTo("listsync:list:");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.subscriptionBacklog()).isEqualTo(1_000);
    }

    @Test
    @DisplayName("take TLS, ACL user, password and database from the URI as Lettuce parses it, and never print the password")
    void tlsAndAclUris() {
        RedisBrokerConfig config = RedisBrokerConfig.from(new BrokerSettings(Map.of(
                "uri", "rediss://alice:s3cret@redis.example.com:6380/2", "channel-prefix", "list:",
                "timeout", "PT2S", "subscription-backlog", "50")));

        RedisURI uri = config.redisUri();
        assertThat(uri.isSsl()).isTrue();
        RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block(Duration.ofSeconds(1));
        assertThat(credentials.getUsername()).isEqualTo("alice");
        assertThat(credentials.getPassword()).containsExactly("s3cret".toCharArray());
        assertThat(uri.getHost()).isEqualTo("redis.example.com");
        assertThat(uri.getPort()).isEqualTo(6380);
        assertThat(uri.getDatabase()).isEqualTo(2);
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.channelPrefix()).isEqualTo("list:");
        assertThat(config.subscriptionBacklog()).isEqualTo(50);
        assertThat(config.toString()).contains("rediss://alice:***@redis.example.com:6380/2").doesNotContain("s3cret");
        assertThat(RedisBrokerConfig.from(new BrokerSettings(Map.of("uri", "redis://:onlypass@h"))).redactedUri())
                .isEqualTo("redis://:***@h");
        assertThat(RedisBrokerConfig.from(new BrokerSettings(Map.of("uri", "redis://onlypass@h"))).redactedUri())
                .isEqualTo("redis://***@h");
    }

    @Test
    @DisplayName("reject a URI Lettuce cannot use, naming the setting and hiding the password")
    void invalidUris() {
        assertThatThrownBy(() -> fromUri("localhost:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("broker.redis.uri is 'localhost:6379'; expected redis://[user:password@]host[:port]"
                        + "[/database], or rediss://… for TLS");
        assertThatThrownBy(() -> fromUri("http://alice:s3cret@example.com"))
                .hasMessageStartingWith("broker.redis.uri is 'http://alice:***@example.com'; expected redis://")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> fromUri("redis://"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("broker.redis.uri is 'redis://'; ");
    }

    @Test
    @DisplayName("reject unknown keys, a prefix with whitespace and a bad timeout or backlog, naming each")
    void invalidSettings() {
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("channel_prefix", "x:"))))
                .hasMessage("Unknown setting(s) [broker.redis.channel_prefix]; the redis broker knows "
                        + "[broker.redis.channel-prefix, broker.redis.subscription-backlog, broker.redis.timeout, "
                        + "broker.redis.uri]");
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("channel-prefix", "my list:"))))
                .hasMessage("broker.redis.channel-prefix is 'my list:'; expected a non-empty value without whitespace");
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("timeout", "soon"))))
                .hasMessageStartingWith("broker.redis.timeout is 'soon'; expected a positive duration");
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("subscription-backlog", "0"))))
                .hasMessage("broker.redis.subscription-backlog is '0'; expected an integer from 1 to 1000000");
    }

    @Test
    @DisplayName("fail start-up with the redacted URI when Redis cannot be reached, leaving no thread behind")
    void unreachableRedis() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String uri = "redis://alice:s3cret@127.0.0.1:" + closedPort;

        assertThatThrownBy(() -> RedisListEventBroker.start(new RedisBrokerConfig(uri, "x:", Duration.ofSeconds(2),
                10)))
                .isInstanceOf(BrokerException.class)
                .hasMessageStartingWith("Cannot connect to Redis at redis://alice:***@127.0.0.1:" + closedPort
                        + " (broker.redis.uri)")
                .hasMessageNotContaining("s3cret");
        Await.until(Duration.ofSeconds(10), "Lettuce's threads of the failed broker ended",
                () -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().startsWith("lettuce-") && t.isAlive()));
    }

    private static RedisBrokerConfig fromUri(String uri) {
        return RedisBrokerConfig.from(new BrokerSettings(Map.of("uri", uri)));
    }
}
