package io.listsync.broker.redis;

import io.listsync.broker.BrokerException;
import io.listsync.broker.BrokerState;
import io.listsync.broker.BrokerStateListener;
import io.listsync.broker.BrokerStats;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventListener;
import io.listsync.broker.Subscription;
import io.listsync.broker.support.ListenerDispatcher;
import io.listsync.broker.support.ListenerQueue;
import io.listsync.broker.support.QueueSubscription;
import io.listsync.broker.support.SubscriberRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A broker over Redis pub/sub (Lettuce), for a cluster of server instances sharing a Redis: one server
 * ({@code standalone}), a master followed through Sentinel failovers ({@code sentinel}), or a Redis Cluster with
 * sharded pub/sub ({@code cluster}).
 *
 * <ul>
 *     <li><b>Connections:</b> one pub/sub connection per Redis node that owns channels (one in standalone and
 *     sentinel mode, one per master in cluster mode), whatever the number of lists and sockets, plus the publishing
 *     connection (in cluster mode Lettuce's, one per node). They show in {@code CLIENT LIST} as
 *     {@code listsync-<id>-sub} and {@code listsync-<id>-pub}.</li>
 *     <li><b>Channels:</b> {@code <channel-prefix><listId>}, reference-counted: the first local subscription of a
 *     list subscribes its channel, the last one leaving unsubscribes it. In cluster mode a channel is subscribed
 *     ({@code SSUBSCRIBE}) on the master that owns its slot, and published there ({@code SPUBLISH}), so an event
 *     travels only within one shard.</li>
 *     <li><b>Threads:</b> Lettuce's I/O thread only decodes a message and offers it to the bounded queues of the
 *     list's subscriptions; listeners run on virtual threads named {@code listsync-redis-dispatch-<n>}.</li>
 *     <li><b>Starting:</b> {@link #start} waits (up to {@code timeout}) for Redis; when it cannot be reached the
 *     broker starts {@link BrokerState#DOWN} and connects as soon as it appears. Settings Redis shows to be wrong
 *     (no such sentinel master, a standalone URI pointing at a cluster node, a wrong password) fail the start.</li>
 *     <li><b>Staying up:</b> see {@link Supervisor}: reconnecting with backoff, following failovers and moved slots,
 *     a heartbeat that finds a deaf connection. {@link BrokerState#UP} only when every live channel is subscribed on
 *     its current owner; anything that may have lost messages is reported DOWN first, so a state listener that
 *     replays on UP misses nothing.</li>
 *     <li><b>Publishing</b> is never queued while disconnected: it fails at once with a {@link BrokerException},
 *     as it does when Redis does not confirm it within the timeout. Its stage completes on a virtual thread
 *     ({@code listsync-redis-publish-<n>}), never on an I/O thread.</li>
 * </ul>
 */
public final class RedisListEventBroker implements ListEventBroker {

    static final String NAME = "redis";
    private static final System.Logger LOG = System.getLogger(RedisListEventBroker.class.getName());

    private final RedisBrokerConfig config;
    private final String clientId = UUID.randomUUID().toString().substring(0, 8);
    private final RedisMessages messages;
    private final ClientResources resources;
    private final RedisClient nodeClient;
    private final RedisClusterClient clusterClient;
    private final ListenerDispatcher dispatcher;
    private final ExecutorService completions;
    private final SubscriberRegistry registry = new SubscriberRegistry();
    private final Supervisor supervisor;
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisListEventBroker(RedisBrokerConfig config) {
        this.config = config;
        this.messages = new RedisMessages(config.channelPrefix());
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2) // a handful of connections; Lettuce's minimum anyway
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.nodeClient = RedisClient.create(resources);
        this.nodeClient.setOptions(nodeOptions(config.timeout()));
        this.clusterClient = config.mode() == RedisMode.CLUSTER
                ? RedisClusterClient.create(resources, named(config.seedUris(), clientName("pub"))) : null;
        if (clusterClient != null) {
            clusterClient.setOptions(clusterOptions(config.timeout()));
        }
        this.dispatcher = new ListenerDispatcher("listsync-" + NAME + "-dispatch-", config.subscriptionBacklog());
        this.completions = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("listsync-" + NAME + "-publish-", 0).factory());
        Heartbeat heartbeat = new Heartbeat(config.channelPrefix(), clientId);
        this.supervisor = new Supervisor(resources.eventExecutorGroup().next(), nodeClient, config,
                clientName("sub"), registry, messages,
                changes -> clusterClient != null
                        ? new ClusterTopology(clusterClient, nodeClient, config, heartbeat, clientName("probe"),
                        changes)
                        : new SingleNodeTopology(nodeClient, config, heartbeat, clientName("pub"), changes),
                this::received);
    }

    /**
     * Starts the broker: connects to Redis and returns once it is {@link BrokerState#UP}, or, when Redis cannot be
     * reached within the timeout, returns it {@link BrokerState#DOWN}, connecting in the background.
     *
     * @throws BrokerException when Redis is reachable but cannot work with these settings (the message says which
     *                         and why)
     */
    public static RedisListEventBroker start(RedisBrokerConfig config) {
        RedisListEventBroker broker = new RedisListEventBroker(config);
        broker.supervisor.start();
        try {
            // connecting, then the heartbeat's round trip: allow for both
            broker.supervisor.firstAttempt().get(config.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            LOG.log(System.Logger.Level.INFO, "Redis broker connected ({0} mode, {1}), channels {2}<listId>",
                    config.mode().settingValue(), config.redactedUri(), config.channelPrefix());
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            if (Failures.isMisconfiguration(cause)) {
                broker.close();
                throw cause instanceof RedisMisconfiguredException misconfigured ? misconfigured
                        : new BrokerException("Redis at " + config.redactedUri() + " (broker.redis.uri) refused the"
                        + " broker: " + Failures.describe(cause), cause);
            }
            LOG.log(System.Logger.Level.WARNING, "Cannot connect to Redis at {0} (broker.redis.uri, {1} mode): {2};"
                    + " the broker starts DOWN and connects as soon as Redis is reachable", config.redactedUri(),
                    config.mode().settingValue(), Failures.describe(cause));
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Redis at {0} (broker.redis.uri) did not become ready within {1};"
                    + " the broker starts DOWN and keeps trying", config.redactedUri(), config.timeout().multipliedBy(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broker.close();
            throw new BrokerException("Interrupted while connecting to Redis");
        }
        return broker;
    }

    private static List<io.lettuce.core.RedisURI> named(List<io.lettuce.core.RedisURI> seeds, String name) {
        seeds.forEach(seed -> seed.setClientName(name));
        return seeds;
    }

    private static SocketOptions socketOptions(Duration timeout) {
        return SocketOptions.builder().connectTimeout(timeout)
                // notices a peer that vanished without closing within ~25 s instead of hours
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable().idle(Duration.ofSeconds(10))
                        .interval(Duration.ofSeconds(5)).count(3).build())
                .build();
    }

    /**
     * Connections to single nodes are never reconnected by Lettuce: the {@link Supervisor} replaces them, so that
     * channels are subscribed again on whichever node owns them by then, grouped per slot.
     */
    private static ClientOptions nodeOptions(Duration timeout) {
        return ClientOptions.builder()
                .autoReconnect(false)
                // Publishing into a buffer while disconnected would deliver stale events late; fail fast instead.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(65_536) // bounds the commands in flight per connection
                .socketOptions(socketOptions(timeout))
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build();
    }

    /** The cluster client publishes; it reconnects by itself and follows the topology (redirects, refreshes). */
    private static ClusterClientOptions clusterOptions(Duration timeout) {
        return ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(65_536)
                .socketOptions(socketOptions(timeout))
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(5))
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .dynamicRefreshSources(true)
                        .closeStaleConnections(true)
                        .build())
                .build();
    }

    /** The connection name Redis shows in {@code CLIENT LIST}, {@code role} being {@code sub} or {@code pub}. */
    String clientName(String role) {
        return "listsync-" + clientId + "-" + role;
    }

    @Override
    public CompletionStage<Void> publish(ListEvent event) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("The Redis broker is closed"));
        }
        String message;
        try {
            message = messages.encode(event);
        } catch (IllegalArgumentException e) {
            publishFailures.increment();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        supervisor.publish(messages.channel(event.listId()), message).whenComplete((receivers, failure) -> {
            // Completes off the I/O thread: the caller's dependent stages must never run on Lettuce's event loop.
            if (failure == null) {
                published.increment();
                completeAsync(result, null);
            } else {
                publishFailures.increment();
                completeAsync(result, new BrokerException("Publishing an event of list " + event.listId()
                        + " to Redis failed: " + Failures.describe(failure), Failures.unwrap(failure)));
            }
        });
        return result;
    }

    private void completeAsync(CompletableFuture<Void> result, Throwable failure) {
        try {
            completions.execute(() -> {
                if (failure == null) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException closing) {
            result.completeExceptionally(failure != null ? failure
                    : new IllegalStateException("The Redis broker closed while publishing"));
        }
    }

    @Override
    public Subscription subscribe(String listId, ListEventListener listener) {
        if (closed.get()) {
            throw new IllegalStateException("The Redis broker is closed");
        }
        ListenerQueue queue = dispatcher.open(listId, listener);
        CompletableFuture<Void> confirmed = supervisor.subscribe(queue);
        Subscription subscription = new QueueSubscription(queue, this::unsubscribe);
        if (supervisor.state() == BrokerState.UP) {
            awaitConfirmation(confirmed, subscription);
        }
        // While DOWN the subscription is recorded; placing every channel before UP covers it.
        return subscription;
    }

    private void unsubscribe(ListenerQueue queue) {
        if (!closed.get()) { // after close there is no channel left to release
            supervisor.unsubscribe(queue);
        }
    }

    private void awaitConfirmation(CompletableFuture<Void> confirmed, Subscription subscription) {
        try {
            confirmed.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            if (Failures.isRefusal(cause)) {
                subscription.close();
                throw new BrokerException("Redis refused to subscribe to the channel of list "
                        + subscription.listId() + ": " + cause.getMessage(), cause);
            }
            // The connection dropped or the slot moved meanwhile: the broker places the channel again.
            LOG.log(System.Logger.Level.DEBUG, "Subscription of list {0} not confirmed yet: {1}",
                    subscription.listId(), e.getCause());
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Redis did not confirm the subscription of list {0} within {1};"
                    + " it becomes active when Redis answers", subscription.listId(), config.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public BrokerState state() {
        return closed.get() ? BrokerState.DOWN : supervisor.state();
    }

    @Override
    public void onStateChange(BrokerStateListener listener) {
        supervisor.addListener(listener);
    }

    @Override
    public BrokerStats stats() {
        return new BrokerStats(published.sum(), publishFailures.sum(), dispatcher.delivered(), dispatcher.dropped(),
                dispatcher.failures(), registry.subscriptions(), registry.lists(), supervisor.heartbeatMisses(),
                supervisor.resubscriptions());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The settings this broker runs with. */
    public RedisBrokerConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        supervisor.close();
        registry.clear().forEach(ListenerQueue::close);
        dispatcher.close();
        completions.shutdown();
        // Closes every connection and shuts down the I/O and computation threads this broker created.
        if (clusterClient != null) {
            clusterClient.shutdown(Duration.ZERO, config.timeout());
        }
        nodeClient.shutdown(Duration.ZERO, config.timeout());
        resources.shutdown(0, config.timeout().toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(
                config.timeout().toMillis());
        LOG.log(System.Logger.Level.DEBUG, "Redis broker closed");
    }

    /** Hands a message to the local subscriptions of its list; runs on an I/O thread, so never blocks. */
    private void received(String channel, String message) {
        ListEvent event = messages.decode(channel, message);
        if (event == null) {
            dispatcher.countDropped();
            long count = unreadable.incrementAndGet();
            if (count == 1 || count % 1_000 == 0) { // someone else publishes on our channels: say so, not flood
                LOG.log(System.Logger.Level.WARNING, "Ignored a message on {0} that is not a ListSync event ({1}"
                        + " so far)", channel, count);
            }
            return;
        }
        registry.deliver(event);
    }
}
