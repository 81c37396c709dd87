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
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;

import java.net.SocketAddress;
import java.time.Duration;
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
import java.util.concurrent.locks.LockSupport;

/**
 * A broker over Redis pub/sub (Lettuce), for a cluster of server instances sharing one Redis.
 *
 * <ul>
 *     <li><b>Connections:</b> exactly two per instance, whatever the number of lists and sockets: one pub/sub
 *     connection carrying every channel subscription, one ordinary connection for {@code PUBLISH}. They show in
 *     {@code CLIENT LIST} as {@code listsync-<id>-sub} and {@code listsync-<id>-pub}.</li>
 *     <li><b>Channels:</b> {@code <channel-prefix><listId>}, reference-counted: the first local subscription of a
 *     list subscribes its channel, the last one leaving unsubscribes it.</li>
 *     <li><b>Threads:</b> Lettuce's I/O thread only decodes a message and offers it to the bounded queues of the
 *     list's subscriptions; listeners run on virtual threads named {@code listsync-redis-dispatch-<n>}.</li>
 *     <li><b>Reconnecting:</b> Lettuce reconnects by itself (backoff from 10 ms up to 5 s). The broker reports
 *     {@link BrokerState#DOWN} as soon as either connection drops, and {@link BrokerState#UP} once both are back
 *     and every live channel is confirmed subscribed again, so a state listener that replays on UP misses
 *     nothing.</li>
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
    private final RedisClient client;
    private final ListenerDispatcher dispatcher;
    private final ExecutorService completions;
    private final SubscriberRegistry registry = new SubscriberRegistry();
    private final ConnectionStateTracker tracker;
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile ChannelSubscriptions channels;

    private RedisListEventBroker(RedisBrokerConfig config) {
        this.config = config;
        this.messages = new RedisMessages(config.channelPrefix());
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2) // two connections; Lettuce's minimum anyway
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(5), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        this.client.setOptions(clientOptions(config.timeout()));
        this.dispatcher = new ListenerDispatcher("listsync-" + NAME + "-dispatch-", config.subscriptionBacklog());
        this.completions = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("listsync-" + NAME + "-publish-", 0).factory());
        this.tracker = new ConnectionStateTracker(resources.eventExecutorGroup().next(),
                this::resubscribeAll, config.redactedUri());
    }

    /**
     * Connects to Redis and returns a broker that is {@link BrokerState#UP}.
     *
     * @throws BrokerException when Redis cannot be reached or refuses the connection within the timeout
     */
    public static RedisListEventBroker start(RedisBrokerConfig config) {
        RedisListEventBroker broker = new RedisListEventBroker(config);
        try {
            broker.connect();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    private static ClientOptions clientOptions(Duration timeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                // Publishing into a buffer while disconnected would deliver stale events late; fail fast instead.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(65_536) // bounds the commands in flight per connection
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build();
    }

    private void connect() {
        client.addListener(new ConnectionWatcher());
        try {
            StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub(StringCodec.UTF8,
                    redisUri("sub"));
            channels = new ChannelSubscriptions(registry, messages, pubSub.async());
            pubSub.addListener(new MessageRouter());
            publisher = client.connect(StringCodec.UTF8, redisUri("pub"));
        } catch (RedisException e) {
            throw new BrokerException("Cannot connect to Redis at " + config.redactedUri() + " (broker.redis.uri): "
                    + e.getMessage(), e);
        }
        awaitUp();
        LOG.log(System.Logger.Level.INFO, "Redis broker connected to {0}, channels {1}<listId>",
                config.redactedUri(), config.channelPrefix());
    }

    private CompletionStage<Void> resubscribeAll() {
        ChannelSubscriptions current = channels;
        // The first connect reports in before connectPubSub returns: no subscription can exist yet.
        return current == null ? CompletableFuture.completedFuture(null) : current.resubscribeAll();
    }

    private RedisURI redisUri(String role) {
        RedisURI uri = config.redisUri();
        if (uri.getClientName() == null) {
            uri.setClientName(clientName(role));
        }
        return uri;
    }

    /** The connection name Redis shows in {@code CLIENT LIST}, {@code role} being {@code sub} or {@code pub}. */
    String clientName(String role) {
        return "listsync-" + clientId + "-" + role;
    }

    private void awaitUp() {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        while (tracker.state() != BrokerState.UP) {
            if (System.nanoTime() > deadline) {
                throw new BrokerException("Redis at " + config.redactedUri() + " did not become ready within "
                        + config.timeout());
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
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
        publisher.async().publish(messages.channel(event.listId()), message).whenComplete((receivers, failure) -> {
            // Completes off the I/O thread: the caller's dependent stages must never run on Lettuce's event loop.
            if (failure == null) {
                published.increment();
                completeAsync(result, null);
            } else {
                publishFailures.increment();
                completeAsync(result, new BrokerException("Publishing an event of list " + event.listId()
                        + " to Redis failed: " + failure.getMessage(), failure));
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
        CompletableFuture<Void> confirmed = channels.add(queue);
        Subscription subscription = new QueueSubscription(queue, this::unsubscribe);
        if (tracker.state() == BrokerState.UP) {
            awaitConfirmation(confirmed, subscription);
        }
        // While DOWN the subscription is recorded; the re-subscription before UP covers it.
        return subscription;
    }

    private void unsubscribe(ListenerQueue queue) {
        if (!closed.get()) { // after close there is no channel left to release
            channels.remove(queue);
        }
    }

    private void awaitConfirmation(CompletableFuture<Void> confirmed, Subscription subscription) {
        try {
            confirmed.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisCommandExecutionException refused) {
                subscription.close();
                throw new BrokerException("Redis refused to subscribe to the channel of list "
                        + subscription.listId() + ": " + refused.getMessage(), refused);
            }
            // The connection dropped meanwhile: the re-subscription on reconnect covers this list.
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
        return closed.get() ? BrokerState.DOWN : tracker.state();
    }

    @Override
    public void onStateChange(BrokerStateListener listener) {
        tracker.addListener(listener);
    }

    @Override
    public BrokerStats stats() {
        return new BrokerStats(published.sum(), publishFailures.sum(), dispatcher.delivered(), dispatcher.dropped(),
                dispatcher.failures(), registry.subscriptions(), registry.lists());
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
        tracker.close();
        registry.clear().forEach(ListenerQueue::close);
        dispatcher.close();
        completions.shutdown();
        // Closes both connections and shuts down the I/O and computation threads this broker created.
        client.shutdown(Duration.ZERO, config.timeout());
        resources.shutdown(0, config.timeout().toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(
                config.timeout().toMillis());
        LOG.log(System.Logger.Level.DEBUG, "Redis broker closed");
    }

    /** Hands each message to the local subscriptions of its list; runs on the I/O thread, so never blocks. */
    private final class MessageRouter extends RedisPubSubAdapter<String, String> {

        private final AtomicLong unreadable = new AtomicLong();

        @Override
        public void message(String channel, String message) {
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

    /** Feeds connection drops and reconnects of both connections into the state tracker. */
    private final class ConnectionWatcher implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
                tracker.pubSubConnected();
            } else {
                tracker.publishConnected(true);
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
                tracker.pubSubDisconnected();
            } else {
                tracker.publishConnected(false);
            }
        }
    }
}
