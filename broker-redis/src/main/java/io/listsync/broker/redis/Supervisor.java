package io.listsync.broker.redis;

import io.listsync.broker.BrokerState;
import io.listsync.broker.BrokerStateListener;
import io.listsync.broker.support.ListenerQueue;
import io.listsync.broker.support.SubscriberRegistry;
import io.lettuce.core.RedisClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Keeps the broker's connections to Redis in the shape the topology asks for, in every mode, and decides whether the
 * broker is {@link BrokerState#UP}:
 *
 * <ul>
 *     <li><b>Connecting</b>, with backoff (10 ms doubling to 1 s), from the start: a broker whose Redis is away at
 *     start-up starts DOWN and connects when Redis appears.</li>
 *     <li><b>One pub/sub connection per node</b> that owns channels ({@link ShardConnection}): the one server, the
 *     Sentinel's master, or each master of a cluster. A connection that drops is replaced, after a topology refresh,
 *     by one to whichever node owns its channels by then (a promoted replica, a new master).</li>
 *     <li><b>Placing channels</b> ({@link ChannelPlacements}): after any change every live list channel is
 *     subscribed on its current owner, grouped per slot.</li>
 *     <li><b>A heartbeat per connection</b>: every {@code heartbeat-interval} the broker publishes to each connection's
 *     own channel through its normal publishing path. A connection that claims to be up but has not heard its
 *     heartbeat for {@code heartbeat-timeout} is deaf: the broker says so in the log, counts it
 *     ({@code heartbeatMisses}), reports DOWN, drops the connection and the publisher, and subscribes everything
 *     again on fresh ones.</li>
 *     <li><b>UP</b> only when publishing is connected, every node that owns channels has an open connection that has
 *     heard its own heartbeat, and every live channel is confirmed subscribed on its owner. Anything that may have
 *     lost messages (a dropped connection, a moved slot, a failover, deafness) makes it DOWN first, so the server
 *     catches up from its event log on the way back UP.</li>
 * </ul>
 *
 * <p>All of this runs on one serial executor (a Lettuce computation thread; never an I/O thread, never blocking), so
 * its fields need no locks and state changes are reported once each, in order.
 */
final class Supervisor {

    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());
    private static final long MIN_BACKOFF_NANOS = Duration.ofMillis(10).toNanos();
    private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();
    /** Pause before trying again what Redis refused or timed out, so a persistent error is no busy loop. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** Pause between attempts while the settings cannot work (logged as an error each time). */
    private static final Duration MISCONFIGURED_PAUSE = Duration.ofSeconds(30);

    private final ScheduledExecutorService serial;
    private final RedisClient nodeClient;
    private final String subscriberName;
    private final long heartbeatTimeoutNanos;
    private final Duration heartbeatInterval;
    private final BiConsumer<String, String> messages;
    private final Topology topology;
    private final ChannelPlacements placements;
    private final List<BrokerStateListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private final LongAdder heartbeatMisses = new LongAdder();
    private final LongAdder resubscriptions = new LongAdder();
    private final ShardEvents shardEvents = new ShardEvents();

    private volatile BrokerState state = BrokerState.DOWN;
    private volatile boolean closed;
    /** Open connections by node id, for routing a channel to its owner from any thread. */
    private volatile Map<String, ShardConnection> routing = Map.of();

    // --- serial thread only ---
    private final Map<String, ShardConnection> shards = new HashMap<>();
    private final Set<String> opening = new HashSet<>();
    private boolean connecting;
    private int passesInFlight;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> heartbeats;
    private boolean everUp;
    private long heartbeatSequence;
    /** When publishing last connected: a heartbeat cannot be missed before it could be sent. */
    private long publishingSince = System.nanoTime();
    private String downReason = "connecting";

    /**
     * @param topologies makes the topology, given where it reports changes
     * @param messages   receives each message of a list channel, on an I/O thread
     */
    Supervisor(ScheduledExecutorService serial, RedisClient nodeClient, RedisBrokerConfig config,
               String subscriberName, SubscriberRegistry registry, RedisMessages channelNames,
               Function<Topology.Changes, Topology> topologies, BiConsumer<String, String> messages) {
        this.serial = serial;
        this.nodeClient = nodeClient;
        this.subscriberName = subscriberName;
        this.heartbeatInterval = config.heartbeatInterval();
        this.heartbeatTimeoutNanos = config.heartbeatTimeout().toNanos();
        this.messages = messages;
        this.placements = new ChannelPlacements(registry, channelNames, failure -> run(() -> placementFailed(failure)));
        this.topology = topologies.apply(new TopologyChanges());
    }

    /** Starts connecting; {@link #firstAttempt()} tells how the first attempt went. */
    void start() {
        run(() -> {
            heartbeats = serial.scheduleAtFixedRate(this::heartbeat, heartbeatInterval.toNanos(),
                    heartbeatInterval.toNanos(), TimeUnit.NANOSECONDS);
            reconcile();
        });
    }

    /**
     * Completes when the broker is first UP; fails with the cause when the first attempt to connect failed
     * (a {@link RedisMisconfiguredException} when the settings cannot work).
     */
    CompletableFuture<Void> firstAttempt() {
        return firstAttempt;
    }

    BrokerState state() {
        return closed ? BrokerState.DOWN : state;
    }

    void addListener(BrokerStateListener listener) {
        listeners.add(listener);
    }

    long heartbeatMisses() {
        return heartbeatMisses.sum();
    }

    long resubscriptions() {
        return resubscriptions.sum();
    }

    /** Registers a local subscription; see {@link ChannelPlacements#add}. */
    CompletableFuture<Void> subscribe(ListenerQueue queue) {
        return placements.add(queue, this::ownerOf);
    }

    /** Unregisters a local subscription; see {@link ChannelPlacements#remove}. */
    void unsubscribe(ListenerQueue queue) {
        placements.remove(queue);
    }

    CompletionStage<Long> publish(String channel, String message) {
        return topology.publish(channel, message);
    }

    /** Stops everything; the broker then shuts down the clients, which closes the connections. */
    void close() {
        closed = true;
        state = BrokerState.DOWN;
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        try {
            serial.execute(() -> {
                if (heartbeats != null) {
                    heartbeats.cancel(false);
                }
                if (retry != null) {
                    retry.cancel(false);
                }
                shards.clear(); // the clients' shutdown closes the connections
                routing = Map.of();
                topology.close();
                placements.clear();
                stopped.complete(null);
            });
            stopped.get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            LOG.log(System.Logger.Level.DEBUG, "Supervisor stopped without its thread: {0}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        firstAttempt.completeExceptionally(new IllegalStateException("The Redis broker was closed"));
    }

    // --- the loop ----------------------------------------------------------------------------------------------------

    /** Brings connections and channels in line with the topology; cheap when nothing changed. */
    private void reconcile() {
        if (closed) {
            return;
        }
        if (!topology.connected()) {
            if (!connecting) {
                connecting = true;
                topology.connect().whenComplete((ignored, failure) -> run(() -> connected(failure)));
            }
            update();
            return;
        }
        List<RedisNode> nodes = topology.nodes();
        if (nodes.isEmpty()) {
            // connected, but no node owns slots yet (a cluster being created): look again soon
            downReason = "no node owns any slot yet";
            update();
            topology.refresh().whenComplete((ignored, e) -> run(() -> retryIn(nextBackoff())));
            return;
        }
        Map<String, RedisNode> wanted = new HashMap<>();
        nodes.forEach(node -> wanted.put(node.id(), node));
        for (Iterator<ShardConnection> it = shards.values().iterator(); it.hasNext(); ) {
            ShardConnection shard = it.next();
            RedisNode node = wanted.get(shard.node().id());
            if (!shard.isOpen() || !shard.node().sameAs(node)
                    || !topology.heartbeatChannel(node).equals(shard.heartbeatChannel())) {
                shard.close(); // gone, moved, or no longer owns the slot of its heartbeat channel
                it.remove();
            }
        }
        routing = Map.copyOf(shards);
        for (RedisNode node : nodes) {
            if (!shards.containsKey(node.id()) && opening.add(node.id())) {
                open(node);
            }
        }
        ChannelPlacements.Pass pass = placements.placeAll(this::ownerOf);
        if (pass.commands() > 0) {
            passesInFlight++;
            downReason = "re-subscribing list channels";
            pass.answered().whenComplete((ignored, failure) -> run(() -> {
                passesInFlight--;
                update();
            }));
        }
        update();
    }

    private void connected(Throwable failure) {
        connecting = false;
        if (closed) {
            return;
        }
        if (failure == null) {
            publishingSince = System.nanoTime();
            reconcile();
            return;
        }
        Throwable cause = Failures.unwrap(failure);
        boolean misconfigured = Failures.isMisconfiguration(cause);
        downReason = "cannot connect: " + Failures.describe(cause);
        if (!firstAttempt.isDone()) {
            firstAttempt.completeExceptionally(cause);
        } else if (misconfigured) {
            LOG.log(System.Logger.Level.ERROR, "Redis broker cannot work with its settings: {0}; retrying in {1}",
                    Failures.describe(cause), MISCONFIGURED_PAUSE);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "Connecting to {0} failed: {1}", topology, Failures.describe(cause));
        }
        retryIn(misconfigured ? MISCONFIGURED_PAUSE.toNanos() : nextBackoff());
    }

    private void open(RedisNode node) {
        ShardConnection.open(nodeClient, node, subscriberName, topology.sharded(), topology.heartbeatChannel(node),
                        shardEvents)
                .whenComplete((shard, failure) -> run(() -> opened(node, shard, failure)));
    }

    private void opened(RedisNode node, ShardConnection shard, Throwable failure) {
        opening.remove(node.id());
        if (closed) {
            if (shard != null) {
                shard.close();
            }
            return;
        }
        if (failure != null) {
            Throwable cause = Failures.unwrap(failure);
            downReason = "cannot open a pub/sub connection to " + node.address() + ": " + Failures.describe(cause);
            LOG.log(System.Logger.Level.DEBUG, "Opening a pub/sub connection to {0} failed: {1}", node.address(),
                    Failures.describe(cause));
            long pause = nextBackoff();
            if (Failures.isMisconfiguration(cause)) {
                String why = Failures.describe(cause);
                RedisMisconfiguredException refused = new RedisMisconfiguredException("Redis at " + node.address()
                        + " refused the broker's heartbeat channel " + topology.heartbeatChannel(node) + ": " + why
                        + (why.startsWith("NOPERM") ? "; allow the channels of broker.redis.channel-prefix" : ""));
                if (!firstAttempt.isDone()) {
                    firstAttempt.completeExceptionally(refused);
                } else {
                    LOG.log(System.Logger.Level.ERROR, "{0}; retrying in {1}", refused.getMessage(),
                            MISCONFIGURED_PAUSE);
                }
                pause = MISCONFIGURED_PAUSE.toNanos();
            }
            long retryAfter = pause;
            topology.refresh().whenComplete((ignored, e) -> run(() -> retryIn(retryAfter)));
            return;
        }
        RedisNode current = topology.nodes().stream().filter(n -> n.id().equals(node.id())).findFirst().orElse(null);
        if (!shard.isOpen() || !node.sameAs(current)) {
            shard.close();
            retryIn(nextBackoff());
            return;
        }
        shards.put(node.id(), shard);
        routing = Map.copyOf(shards);
        publishHeartbeat(shard); // UP waits for it: no need to wait for the next tick
        reconcile();
    }

    private void placementFailed(Throwable failure) {
        if (closed) {
            return;
        }
        downReason = "a subscription failed: " + Failures.describe(failure);
        update();
        if (Failures.isTopologyChange(failure)) {
            topology.refresh().whenComplete((ignored, e) -> run(this::reconcile));
        } else {
            retryIn(RETRY_PAUSE.toNanos());
        }
    }

    private void shardLost(ShardConnection shard, String why) {
        if (closed) {
            return; // the clients' shutdown closes every connection
        }
        if (shards.get(shard.node().id()) == shard) {
            shards.remove(shard.node().id());
            routing = Map.copyOf(shards);
        }
        shard.close();
        downReason = why;
        update();
        topology.refresh().whenComplete((ignored, e) -> run(() -> retryIn(nextBackoff())));
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        if (!topology.connected()) {
            return; // nothing can be published, so nothing can be missed
        }
        long now = System.nanoTime();
        for (ShardConnection shard : List.copyOf(shards.values())) {
            if (!shard.isOpen()) {
                continue;
            }
            long silent = shard.silentNanos(now, publishingSince);
            if (silent > heartbeatTimeoutNanos) {
                deaf(shard, silent);
            } else {
                publishHeartbeat(shard);
            }
        }
        if (topology.connected()) {
            topology.tick();
        }
    }


    private void publishHeartbeat(ShardConnection shard) {
        if (!topology.connected()) {
            return;
        }
        topology.publish(shard.heartbeatChannel(), Long.toString(++heartbeatSequence))
                .whenComplete((receivers, failure) -> {
                    if (failure != null) {
                        LOG.log(System.Logger.Level.DEBUG, "Publishing the heartbeat to {0} failed: {1}", shard,
                                Failures.describe(failure));
                    }
                });
    }

    /** The connection claims to be up but does not hear its heartbeat: start afresh with new connections. */
    private void deaf(ShardConnection shard, long silentNanos) {
        heartbeatMisses.increment();
        String silence = String.format(java.util.Locale.ROOT, "%.1f s", silentNanos / 1e9);
        LOG.log(System.Logger.Level.WARNING, "Redis broker is deaf on {0}: its heartbeat has not come back for {1}"
                + " although the connection is up; reporting DOWN and subscribing again on new connections", shard,
                silence);
        downReason = "deaf on " + shard + " (no heartbeat for " + silence + ")";
        topology.reset(); // the heartbeat travels through the publisher too: replace both
        shardLost(shard, downReason);
    }

    private void retryIn(long delayNanos) {
        if (closed) {
            return;
        }
        if (retry != null && !retry.isDone() && retry.getDelay(TimeUnit.NANOSECONDS) <= delayNanos) {
            return; // one sooner is already planned
        }
        if (retry != null) {
            retry.cancel(false);
        }
        retry = serial.schedule(this::reconcile, delayNanos, TimeUnit.NANOSECONDS);
    }

    private long nextBackoff() {
        long delay = backoffNanos;
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        return delay;
    }

    /** Reports UP or DOWN when it changed. */
    private void update() {
        if (closed) {
            return;
        }
        BrokerState next = isUp() ? BrokerState.UP : BrokerState.DOWN;
        if (next == state) {
            return;
        }
        state = next;
        if (next == BrokerState.UP) {
            backoffNanos = MIN_BACKOFF_NANOS;
            if (everUp) {
                resubscriptions.increment();
            }
            everUp = true;
            LOG.log(System.Logger.Level.INFO, "Redis broker is UP ({0}, {1} pub/sub connection(s))", topology,
                    shards.size());
        } else {
            LOG.log(System.Logger.Level.WARNING, "Redis broker is DOWN ({0}): {1}", topology, downReason);
        }
        for (BrokerStateListener listener : listeners) {
            try {
                listener.onStateChange(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A broker state listener threw on " + next, e);
            }
        }
        if (next == BrokerState.UP) {
            firstAttempt.complete(null); // after the listeners: one added once start() returns sees only what follows
        }
    }

    private boolean isUp() {
        if (!topology.connected() || passesInFlight > 0 || !placements.allPlaced()) {
            return false;
        }
        List<RedisNode> nodes = topology.nodes();
        if (nodes.isEmpty()) {
            return false;
        }
        for (RedisNode node : nodes) {
            ShardConnection shard = shards.get(node.id());
            if (shard == null || !shard.isOpen() || !shard.node().sameAs(node) || !shard.heard()) {
                return false;
            }
        }
        return true;
    }

    /** The open connection that owns a channel, or {@code null}; any thread. */
    private ShardConnection ownerOf(String channel) {
        String owner = topology.ownerOf(channel);
        ShardConnection shard = owner == null ? null : routing.get(owner);
        return shard != null && shard.isOpen() ? shard : null;
    }

    /** Runs on the serial executor; once the broker's threads are shut down there is none left. */
    private void run(Runnable change) {
        try {
            serial.execute(change);
        } catch (RejectedExecutionException shutDown) {
            LOG.log(System.Logger.Level.DEBUG, "Broker change after shutdown ignored");
        }
    }

    /** What the pub/sub connections report, from I/O threads. */
    private final class ShardEvents implements ShardConnection.Events {
        @Override
        public void message(String channel, String message) {
            messages.accept(channel, message);
        }

        @Override
        public void heartbeat(ShardConnection shard, boolean first) {
            if (first) {
                run(Supervisor.this::update);
            }
        }

        @Override
        public void channelLost(ShardConnection shard, String channel) {
            run(() -> {
                if (shards.get(shard.node().id()) != shard) {
                    return;
                }
                if (channel.equals(shard.heartbeatChannel())) {
                    shardLost(shard, "Redis dropped the heartbeat channel on " + shard + " (its slot moved)");
                    return;
                }
                placements.lost(channel, shard);
                downReason = "Redis dropped channel " + channel + " on " + shard + " (its slot moved)";
                update();
                topology.refresh().whenComplete((ignored, e) -> run(Supervisor.this::reconcile));
            });
        }

        @Override
        public void disconnected(ShardConnection shard) {
            run(() -> shardLost(shard, "the pub/sub connection to " + shard + " dropped"));
        }
    }

    /** What the topology reports, from any thread. */
    private final class TopologyChanges implements Topology.Changes {
        @Override
        public void lost(String why) {
            run(() -> {
                if (closed) {
                    return;
                }
                downReason = why;
                topology.reset();
                update();
                retryIn(nextBackoff());
            });
        }

        @Override
        public void changed() {
            run(Supervisor.this::reconcile);
        }
    }
}
