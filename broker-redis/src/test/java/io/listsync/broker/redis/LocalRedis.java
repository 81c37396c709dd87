package io.listsync.broker.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * An ordinary connection to a real Redis for what tests check from the outside: channels, clients, kills. Fails
 * (never skips) when Redis is unreachable: these tests are the proof the Redis broker works.
 */
final class LocalRedis implements AutoCloseable {

    /** The Redis every Redis test needs: the one CI and developers run locally. */
    static final String URI = "redis://127.0.0.1:6379";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    LocalRedis(String uri) {
        client = RedisClient.create(uri);
        connection = client.connect(StringCodec.UTF8);
        connection.setTimeout(Duration.ofSeconds(5));
    }

    /** A channel prefix no other test run uses, so runs on a shared Redis never see each other's events. */
    static String uniqueChannelPrefix() {
        return "listsync:test:" + UUID.randomUUID() + ":";
    }

    static RedisBrokerConfig config(String uri, String channelPrefix) {
        return new RedisBrokerConfig(uri, channelPrefix, Duration.ofSeconds(5), 1_000);
    }

    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** The channels matching a pattern that have at least one subscriber, on any connection. */
    List<String> channels(String pattern) {
        return commands().pubsubChannels(pattern);
    }

    /** The list channels under a prefix that have a subscriber: every channel but the brokers' heartbeats. */
    List<String> listChannels(String prefix) {
        return channels(prefix + "*").stream().filter(channel -> !Heartbeat.isHeartbeat(channel, prefix)).toList();
    }

    /** Kills the connection with this client name, as an operator or a network failure would. */
    void killClient(String clientName) {
        String line = Arrays.stream(commands().clientList().split("\n"))
                .filter(entry -> entry.contains(" name=" + clientName + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No Redis client named " + clientName));
        String id = Arrays.stream(line.split(" ")).filter(field -> field.startsWith("id=")).findFirst()
                .orElseThrow().substring(3);
        commands().clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id)));
    }

    /** How many connections with this client name Redis has. */
    long clientsNamed(String clientName) {
        return Arrays.stream(commands().clientList().split("\n"))
                .filter(entry -> entry.contains(" name=" + clientName + " ")).count();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
