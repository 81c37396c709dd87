package io.listsync.broker.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import reactor.core.Disposable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Redis Cluster with sharded pub/sub: a channel lives on the master that owns its slot, {@code SPUBLISH} goes only
 * to that shard (classic {@code PUBLISH} would be broadcast to every node), and the broker holds one pub/sub
 * connection per master that owns slots.
 *
 * <p>Lettuce's cluster client publishes (following {@code MOVED} by itself) and keeps the topology: it is refreshed
 * periodically, on redirects, and whenever the broker asks (a pub/sub connection dropped, Redis moved a channel).
 *
 * <p>Seeds are checked on every connect attempt until one succeeds: a seed that is not a cluster node stops the
 * start-up; a seed that cannot be reached is logged as a warning and the others are used (the cluster must stay
 * usable with a node down, and any one seed tells the whole topology).
 */
final class ClusterTopology implements Topology {

    private static final System.Logger LOG = System.getLogger(ClusterTopology.class.getName());

    private final RedisClusterClient client;
    private final RedisClient probes;
    private final RedisBrokerConfig config;
    private final List<RedisURI> seeds;
    private final Heartbeat heartbeat;
    private final String probeName;
    private final Changes changes;
    private final Disposable topologyEvents;
    private final Set<String> unreachableSeedsWarned = ConcurrentHashMap.newKeySet();
    private volatile StatefulRedisClusterConnection<String, String> publisher;
    private volatile boolean everConnected;
    private CompletableFuture<Void> refreshing;

    /**
     * @param client  the cluster client, created with the seeds
     * @param probes  a plain client for checking the seeds
     */
    ClusterTopology(RedisClusterClient client, RedisClient probes, RedisBrokerConfig config, Heartbeat heartbeat,
                    String probeName, Changes changes) {
        this.client = client;
        this.probes = probes;
        this.config = config;
        this.seeds = config.seedUris();
        this.heartbeat = heartbeat;
        this.probeName = probeName;
        this.changes = changes;
        this.topologyEvents = client.getResources().eventBus().get()
                .filter(event -> event instanceof ClusterTopologyChangedEvent)
                .subscribe(event -> changes.changed());
    }

    @Override
    public CompletionStage<Void> connect() {
        CompletableFuture<Void> checked = everConnected ? CompletableFuture.completedFuture(null) : checkSeeds();
        // the async connect needs the topology first; refreshing loads it from the seeds
        return checked.thenCompose(ignored -> client.refreshPartitionsAsync())
                .thenCompose(ignored -> client.connectAsync(StringCodec.UTF8))
                .thenAccept(connection -> {
                    publisher = connection;
                    everConnected = true;
                });
    }

    /**
     * Asks every seed for {@code CLUSTER INFO} at once. Fails with a {@link RedisMisconfiguredException} when one is
     * not a cluster node; warns of each one that cannot be reached (once); completes when at least one answered.
     */
    private CompletableFuture<Void> checkSeeds() {
        List<CompletableFuture<Throwable>> answers = new ArrayList<>();
        for (RedisURI seed : seeds) {
            RedisURI uri = RedisURI.builder(seed).build();
            uri.setClientName(probeName);
            answers.add(probes.connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                    .thenCompose(connection -> connection.async().clusterInfo().toCompletableFuture()
                            .whenComplete((info, failure) -> connection.closeAsync()))
                    .handle((info, failure) -> failure == null ? null : Failures.unwrap(failure)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<String> reachable = new ArrayList<>();
            for (int i = 0; i < seeds.size(); i++) {
                Throwable failure = answers.get(i).join();
                String seed = seedName(i);
                if (failure == null) {
                    reachable.add(seed);
                } else if (Failures.isRefusal(failure) && String.valueOf(failure.getMessage()).toLowerCase()
                        .contains("cluster support disabled")) {
                    throw new RedisMisconfiguredException("broker.redis.uri has the seed " + seed + ", which is not"
                            + " a Redis Cluster node (cluster support disabled); use broker.redis.mode=standalone"
                            + " for a single Redis");
                } else if (String.valueOf(failure.getMessage()).startsWith("NOPERM")) {
                    reachable.add(seed); // a user without CLUSTER INFO: reachable, just not checkable
                } else if (Failures.isMisconfiguration(failure)) {
                    throw new RedisMisconfiguredException("Redis Cluster seed " + seed + " (broker.redis.uri)"
                            + " refused the broker: " + Failures.describe(failure));
                } else if (unreachableSeedsWarned.add(seed)) {
                    LOG.log(System.Logger.Level.WARNING, "Redis Cluster seed {0} (broker.redis.uri) is unreachable"
                            + " ({1}); the topology is learnt from the other seeds", seed,
                            Failures.describe(failure));
                }
            }
            if (reachable.isEmpty()) {
                throw new IllegalStateException("no Redis Cluster seed is reachable: " + config.redactedUri());
            }
            return null;
        });
    }

    private String seedName(int index) {
        RedisURI seed = seeds.get(index);
        return seed.getHost() + ":" + seed.getPort();
    }

    @Override
    public boolean connected() {
        StatefulRedisClusterConnection<String, String> current = publisher;
        return current != null && current.isOpen();
    }

    @Override
    public List<RedisNode> nodes() {
        if (!connected()) {
            return List.of();
        }
        List<RedisNode> masters = new ArrayList<>();
        for (RedisClusterNode node : client.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.hasNoSlots() && node.getUri() != null) {
                masters.add(RedisNode.at(node.getNodeId(), node.getUri().getHost(), node.getUri().getPort(),
                        seeds.getFirst()));
            }
        }
        return masters;
    }

    @Override
    public String ownerOf(String channel) {
        if (!everConnected) {
            return null;
        }
        RedisClusterNode owner = client.getPartitions().getMasterBySlot(Heartbeat.slot(channel));
        return owner == null ? null : owner.getNodeId();
    }

    @Override
    public String heartbeatChannel(RedisNode node) {
        Partitions partitions = client.getPartitions();
        RedisClusterNode clusterNode = partitions.getPartitionByNodeId(node.id());
        int[] first = {-1};
        if (clusterNode != null) {
            clusterNode.forEachSlot(slot -> {
                if (first[0] < 0) {
                    first[0] = slot;
                }
            });
        }
        return heartbeat.channel(Math.max(first[0], 0));
    }

    @Override
    public boolean sharded() {
        return true;
    }

    @Override
    public CompletionStage<Long> publish(String channel, String message) {
        StatefulRedisClusterConnection<String, String> current = publisher;
        if (current == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to the Redis Cluster"));
        }
        return current.async().spublish(channel, message);
    }

    @Override
    public synchronized CompletionStage<Void> refresh() {
        if (!everConnected) {
            return CompletableFuture.completedFuture(null);
        }
        if (refreshing == null || refreshing.isDone()) {
            refreshing = client.refreshPartitionsAsync().toCompletableFuture().exceptionally(failure -> {
                LOG.log(System.Logger.Level.DEBUG, "Refreshing the cluster topology failed: {0}",
                        Failures.describe(failure));
                return null;
            });
        }
        return refreshing;
    }

    @Override
    public void tick() {
        // Lettuce refreshes the topology periodically and on redirects; the broker asks when something breaks.
    }

    @Override
    public void reset() {
        StatefulRedisClusterConnection<String, String> current = publisher;
        publisher = null;
        if (current != null) {
            current.closeAsync();
        }
    }

    @Override
    public void close() {
        topologyEvents.dispose(); // the client's shutdown closes the connections
    }

    @Override
    public String toString() {
        return "Redis Cluster " + config.redactedUri();
    }
}
