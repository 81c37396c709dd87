package io.listsync.broker.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Redis server holds every channel: the server of a standalone URI, or the master the sentinels name. Classic
 * {@code PUBLISH}/{@code SUBSCRIBE} on one publishing and one pub/sub connection.
 *
 * <p>In sentinel mode the master is asked of the sentinels on every connect, and again once per heartbeat: when they
 * name another master (a failover, or an old master demoted without losing its connections) the broker drops its
 * connections and connects to the new one. Subscribers of a demoted master would otherwise stay connected and hear
 * nothing the other instances publish.
 */
final class SingleNodeTopology implements Topology {

    private static final System.Logger LOG = System.getLogger(SingleNodeTopology.class.getName());

    private final RedisClient client;
    private final RedisBrokerConfig config;
    private final Heartbeat heartbeat;
    private final String publisherName;
    private final Changes changes;
    private volatile RedisNode node;
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile CompletableFuture<StatefulRedisSentinelConnection<String, String>> sentinel;
    private volatile boolean checkingMaster;

    SingleNodeTopology(RedisClient client, RedisBrokerConfig config, Heartbeat heartbeat, String publisherName,
                       Changes changes) {
        this.client = client;
        this.config = config;
        this.heartbeat = heartbeat;
        this.publisherName = publisherName;
        this.changes = changes;
    }

    @Override
    public CompletionStage<Void> connect() {
        return locate().thenCompose(located -> client.connectAsync(StringCodec.UTF8,
                        located.connectionUri(publisherName)).toCompletableFuture()
                .thenCompose(connection -> checked(located, connection))
                .thenAccept(connection -> {
                    watch(connection, located);
                    publisher = connection;
                    node = located;
                }));
    }

    /** The node to connect to: the URI's server, or the master the sentinels name now. */
    private CompletableFuture<RedisNode> locate() {
        if (config.mode() != RedisMode.SENTINEL) {
            RedisURI uri = config.redisUri();
            String address = uri.getSocket() != null ? uri.getSocket() : uri.getHost() + ":" + uri.getPort();
            return CompletableFuture.completedFuture(new RedisNode(address, address, uri));
        }
        return askSentinels().thenApply(master -> {
            RedisURI sentinels = config.sentinelUri();
            RedisURI template = RedisURI.builder().withHost(master.getHostString()).withPort(master.getPort())
                    .withSsl(sentinels).withAuthentication(sentinels).withDatabase(sentinels.getDatabase())
                    .withTimeout(config.timeout()).build();
            return RedisNode.at(master.getHostString() + ":" + master.getPort(), master.getHostString(),
                    master.getPort(), template);
        });
    }

    /** The master's address from a sentinel; fails with a {@link RedisMisconfiguredException} for an unknown name. */
    private CompletableFuture<InetSocketAddress> askSentinels() {
        String name = config.sentinelUri().getSentinelMasterId();
        return sentinelConnection().thenCompose(connection -> connection.async().getMasterAddrByName(name)
                .toCompletableFuture()
                .thenCompose(address -> {
                    if (address instanceof InetSocketAddress inet) {
                        return CompletableFuture.completedFuture(inet);
                    }
                    return connection.async().masters().toCompletableFuture().thenApply(masters -> {
                        List<String> known = masters.stream().map(m -> m.get("name")).filter(Objects::nonNull)
                                .sorted().toList();
                        throw new RedisMisconfiguredException("broker.redis.uri (" + config.redactedUri()
                                + ") names the master '" + name + "', which the sentinels do not monitor; they"
                                + " monitor " + known);
                    });
                }))
                .whenComplete((ignored, failure) -> {
                    if (failure != null && !Failures.isMisconfiguration(failure)) {
                        dropSentinel(); // try the sentinels again from the first next time
                    }
                });
    }

    /** One sentinel connection, kept for the once-per-heartbeat question and opened again after a failure. */
    private CompletableFuture<StatefulRedisSentinelConnection<String, String>> sentinelConnection() {
        CompletableFuture<StatefulRedisSentinelConnection<String, String>> current = sentinel;
        if (current != null && !(current.isDone() && (current.isCompletedExceptionally() || !current.join().isOpen()))) {
            return current;
        }
        RedisURI uri = config.sentinelUri();
        uri.setClientName(publisherName.replace("-pub", "-sentinel"));
        CompletableFuture<StatefulRedisSentinelConnection<String, String>> opened =
                client.connectSentinelAsync(StringCodec.UTF8, uri);
        sentinel = opened;
        return opened;
    }

    private void dropSentinel() {
        CompletableFuture<StatefulRedisSentinelConnection<String, String>> current = sentinel;
        sentinel = null;
        if (current != null) {
            current.thenAccept(StatefulRedisSentinelConnection::closeAsync);
        }
    }

    /**
     * A standalone URI must not point at a cluster node or a sentinel: classic pub/sub on a cluster is broadcast to
     * every node, and a sentinel holds no data. A user without permission for {@code INFO} skips the check.
     */
    private CompletableFuture<StatefulRedisConnection<String, String>> checked(
            RedisNode located, StatefulRedisConnection<String, String> connection) {
        if (config.mode() == RedisMode.SENTINEL) {
            return checkedMaster(located, connection);
        }
        return connection.async().info("server").toCompletableFuture().handle((info, failure) -> {
            String mode = failure == null ? infoField(info, "redis_mode") : null;
            if ("cluster".equals(mode) || "sentinel".equals(mode)) {
                connection.closeAsync();
                throw new RedisMisconfiguredException("broker.redis.uri (" + config.redactedUri() + ") points at a"
                        + (mode.equals("cluster") ? " Redis Cluster node; set broker.redis.mode=cluster and list"
                        + " the cluster's nodes as seeds (classic pub/sub on a cluster is broadcast to every node)"
                        : " Redis Sentinel; set broker.redis.mode=sentinel and broker.redis.uri=redis-sentinel://"
                        + located.address() + "#<master name>"));
            }
            return connection;
        });
    }

    /**
     * In the middle of a failover a sentinel that has not heard of it yet may still name the old master, which may
     * already be a replica: publishing there would reach no one. Such a node is refused (and asked for again after a
     * pause) unless the user may not run {@code ROLE}.
     */
    private CompletableFuture<StatefulRedisConnection<String, String>> checkedMaster(
            RedisNode located, StatefulRedisConnection<String, String> connection) {
        return connection.async().role().toCompletableFuture().handle((role, failure) -> {
            String kind = failure == null && role != null && !role.isEmpty() ? String.valueOf(role.getFirst()) : null;
            if (kind != null && !kind.equals("master")) {
                connection.closeAsync();
                throw new IllegalStateException("the sentinels name " + located.address() + " as master, but it is a "
                        + kind + " (a failover is under way)");
            }
            return connection;
        });
    }

    private static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        return null;
    }

    private void watch(StatefulRedisConnection<String, String> connection, RedisNode to) {
        AtomicBoolean reported = new AtomicBoolean();
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (publisher == connection && reported.compareAndSet(false, true)) {
                    changes.lost("the publishing connection to " + to.address() + " dropped");
                }
            }
        });
        if (!connection.isOpen() && reported.compareAndSet(false, true)) {
            changes.lost("the publishing connection dropped while connecting");
        }
    }

    @Override
    public boolean connected() {
        StatefulRedisConnection<String, String> current = publisher;
        return current != null && current.isOpen();
    }

    @Override
    public List<RedisNode> nodes() {
        RedisNode current = node;
        return current == null || !connected() ? List.of() : List.of(current);
    }

    @Override
    public String ownerOf(String channel) {
        RedisNode current = node;
        return current == null ? null : current.id();
    }

    @Override
    public String heartbeatChannel(RedisNode node) {
        return heartbeat.channel();
    }

    @Override
    public boolean sharded() {
        return false;
    }

    @Override
    public CompletionStage<Long> publish(String channel, String message) {
        StatefulRedisConnection<String, String> current = publisher;
        if (current == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis"));
        }
        return current.async().publish(channel, message);
    }

    @Override
    public CompletionStage<Void> refresh() {
        return config.mode() == RedisMode.SENTINEL ? checkMaster() : CompletableFuture.completedFuture(null);
    }

    @Override
    public void tick() {
        if (config.mode() == RedisMode.SENTINEL && !checkingMaster && node != null) {
            checkingMaster = true;
            checkMaster().whenComplete((ignored, failure) -> checkingMaster = false);
        }
    }

    /** Asks the sentinels for the master; when it is not the one connected to, reports the connections lost. */
    private CompletableFuture<Void> checkMaster() {
        RedisNode connectedTo = node;
        if (connectedTo == null) {
            return CompletableFuture.completedFuture(null);
        }
        return askSentinels().handle((master, failure) -> {
            if (failure != null) {
                LOG.log(System.Logger.Level.DEBUG, "Asking the sentinels for the master failed: {0}",
                        Failures.describe(failure));
                return null;
            }
            String address = master.getHostString() + ":" + master.getPort();
            if (node == connectedTo && !address.equals(connectedTo.address())) {
                LOG.log(System.Logger.Level.WARNING, "The sentinels name {0} as master ''{1}'' instead of {2};"
                        + " moving to it", address, config.sentinelUri().getSentinelMasterId(),
                        connectedTo.address());
                changes.lost("the sentinels moved the master from " + connectedTo.address() + " to " + address);
            }
            return null;
        });
    }

    @Override
    public void reset() {
        StatefulRedisConnection<String, String> current = publisher;
        publisher = null;
        node = null;
        if (current != null) {
            current.closeAsync();
        }
    }

    @Override
    public void close() {
        // the client's shutdown closes the connections
    }

    /** Used in the log: the one server's URI, or the sentinels. */
    @Override
    public String toString() {
        return config.redactedUri();
    }
}
