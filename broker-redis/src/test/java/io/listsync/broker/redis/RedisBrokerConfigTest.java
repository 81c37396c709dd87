package io.listsync.broker.redis;

import io.listsync.broker.spi.BrokerSettings;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
        assertThat(config.mode()).isEqualTo(RedisMode.STANDALONE);
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(5));
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
                        + "[broker.redis.channel-prefix, broker.redis.heartbeat-interval, broker.redis.heartbeat-timeout,"
                        + " broker.redis.mode, broker.redis.subscription-backlog, broker.redis.timeout, "
                        + "broker.redis.uri]");
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("channel-prefix", "my list:"))))
                .hasMessage("broker.redis.channel-prefix is 'my list:'; expected a non-empty value without whitespace");
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("timeout", "soon"))))
                .hasMessageStartingWith("broker.redis.timeout is 'soon'; expected a positive duration");
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("subscription-backlog", "0"))))
                .hasMessage("broker.redis.subscription-backlog is '0'; expected an integer from 1 to 1000000");
    }

    @Test
    @DisplayName("take the mode, a heartbeat, cluster seeds and sentinel URIs, and refuse an unknown mode")
    void modes() {
        RedisBrokerConfig cluster = RedisBrokerConfig.from(new BrokerSettings(Map.of("mode", "cluster",
                "uri", "redis://:s3cret@h1:7001,redis://h2:7002,rediss://h3:7003",
                "heartbeat-interval", "PT0.5S", "heartbeat-timeout", "3000")));
        assertThat(cluster.mode()).isEqualTo(RedisMode.CLUSTER);
        assertThat(cluster.seedUris()).extracting(RedisURI::getHost).containsExactly("h1", "h2", "h3");
        assertThat(cluster.seedUris()).extracting(RedisURI::getPort).containsExactly(7001, 7002, 7003);
        assertThat(cluster.seedUris().get(2).isSsl()).isTrue();
        assertThat(cluster.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(cluster.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(cluster.toString()).contains("redis://:***@h1:7001").doesNotContain("s3cret");

        RedisBrokerConfig sentinel = RedisBrokerConfig.from(new BrokerSettings(Map.of("mode", "Sentinel",
                "uri", "redis-sentinel://s3cret@s1:26379,s2:26380/2#mymaster")));
        assertThat(sentinel.mode()).isEqualTo(RedisMode.SENTINEL);
        assertThat(sentinel.sentinelUri().getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(sentinel.sentinelUri().getSentinels()).extracting(RedisURI::getPort).containsExactly(26379, 26380);
        assertThat(sentinel.sentinelUri().getDatabase()).isEqualTo(2);
        assertThat(sentinel.redactedUri()).isEqualTo("redis-sentinel://***@s1:26379,s2:26380/2#mymaster");

        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("mode", "clustered"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("broker.redis.mode is 'clustered'; expected one of [standalone, cluster, sentinel]");
    }

    @Test
    @DisplayName("refuse a URI that belongs to another mode, naming the mode it needs")
    void urisOfAnotherMode() {
        assertThatThrownBy(() -> fromUri("redis://h1:7001,redis://h2:7002"))
                .hasMessage("broker.redis.uri is 'redis://h1:7001,redis://h2:7002', a list of nodes, which only"
                        + " broker.redis.mode=cluster takes (as Redis Cluster seeds); standalone mode expects one"
                        + " redis://[user:password@]host[:port][/database], or rediss://… for TLS");
        assertThatThrownBy(() -> fromUri("redis-sentinel://s1:26379#mymaster"))
                .hasMessageStartingWith("broker.redis.uri is 'redis-sentinel://s1:26379#mymaster', a Sentinel URI;"
                        + " set broker.redis.mode=sentinel");
        assertThatThrownBy(() -> from("cluster", "redis-sentinel://s1:26379#mymaster"))
                .hasMessageStartingWith("broker.redis.uri is 'redis-sentinel://s1:26379#mymaster', a Sentinel URI;"
                        + " set broker.redis.mode=sentinel");
        assertThatThrownBy(() -> from("cluster", "redis://h1:7001,h2:7002"))
                .hasMessage("broker.redis.uri has the seed 'h2:7002'; expected comma-separated seed nodes"
                        + " redis://[user:password@]host:port,redis://host:port (rediss:// for TLS)");
        assertThatThrownBy(() -> from("sentinel", "redis://h1:6379"))
                .hasMessageStartingWith("broker.redis.uri is 'redis://h1:6379'; broker.redis.mode=sentinel expects"
                        + " redis-sentinel://");
        assertThatThrownBy(() -> from("sentinel", "redis-sentinel://:s3cret@s1:26379"))
                .hasMessageStartingWith("broker.redis.uri is 'redis-sentinel://:***@s1:26379'; it names no master"
                        + " (add #masterName")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    @DisplayName("refuse a hash tag in a cluster's channel prefix and a heartbeat timeout not longer than its interval")
    void clusterPrefixAndHeartbeat() {
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("mode", "cluster",
                "uri", "redis://h1:7001", "channel-prefix", "{listsync}:"))))
                .hasMessage("broker.redis.channel-prefix is '{listsync}:'; in cluster mode it must not contain '{'"
                        + " or '}': a hash tag would put every list on the same shard");
        assertThat(RedisBrokerConfig.from(new BrokerSettings(Map.of("channel-prefix", "{listsync}:")))
                .channelPrefix()).isEqualTo("{listsync}:"); // harmless on one server
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("heartbeat-interval", "PT2S",
                "heartbeat-timeout", "PT2S"))))
                .hasMessage("broker.redis.heartbeat-timeout is 'PT2S'; expected longer than"
                        + " broker.redis.heartbeat-interval ('PT2S'), so that a heartbeat can arrive in time");
        assertThatThrownBy(() -> RedisBrokerConfig.from(new BrokerSettings(Map.of("heartbeat-interval", "0"))))
                .hasMessageStartingWith("broker.redis.heartbeat-interval is '0'; expected a positive duration");
    }

    private static RedisBrokerConfig from(String mode, String uri) {
        return RedisBrokerConfig.from(new BrokerSettings(Map.of("mode", mode, "uri", uri)));
    }

    private static RedisBrokerConfig fromUri(String uri) {
        return RedisBrokerConfig.from(new BrokerSettings(Map.of("uri", uri)));
    }
}
