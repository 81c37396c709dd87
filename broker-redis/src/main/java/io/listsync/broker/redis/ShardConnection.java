package io.listsync.broker.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one pub/sub connection the broker holds to one Redis node: every list channel that node owns is subscribed
 * here, plus the broker's own heartbeat channel on that node. Sharded ({@code SSUBSCRIBE}) in cluster mode, classic
 * ({@code SUBSCRIBE}) otherwise.
 *
 * <p>Disposable: Lettuce does not reconnect it (its automatic re-subscription would send every sharded channel in
 * one {@code SSUBSCRIBE} and fail with {@code CROSSSLOT}). When it drops, the {@link Supervisor} opens a new one to
 * whichever node owns the channels by then and re-subscribes them there, grouped per slot.
 *
 * <p>Callbacks run on Lettuce's I/O thread and never block.
 */
final class ShardConnection {

    /** What a shard connection reports; every method is called on an I/O thread and must not block. */
    interface Events {
        /** A message on a list channel. */
        void message(String channel, String message);

        /** The heartbeat came back; {@code first}: for the first time on this connection. */
        void heartbeat(ShardConnection shard, boolean first);

        /** Redis dropped a subscription the broker did not give up: the channel's slot moved to another node. */
        void channelLost(ShardConnection shard, String channel);

        /** The connection dropped. */
        void disconnected(ShardConnection shard);
    }

    private final RedisNode node;
    private final boolean sharded;
    private final String heartbeatChannel;
    private final StatefulRedisPubSubConnection<String, String> connection;
    private final Events events;
    /** UNSUBSCRIBEs sent and not yet answered, per channel, to tell Redis's own unsubscribes from ours. */
    private final ConcurrentHashMap<String, Integer> unsubscribing = new ConcurrentHashMap<>();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long openedAt = System.nanoTime();
    private volatile long heardAt;

    private ShardConnection(RedisNode node, boolean sharded, String heartbeatChannel,
                            StatefulRedisPubSubConnection<String, String> connection, Events events) {
        this.node = node;
        this.sharded = sharded;
        this.heartbeatChannel = heartbeatChannel;
        this.connection = connection;
        this.events = events;
    }

    /**
     * Connects to {@code node} and subscribes the heartbeat channel.
     *
     * @return completes with the open connection once Redis confirmed the heartbeat channel; fails when the node
     *         cannot be reached or refuses
     */
    static CompletableFuture<ShardConnection> open(RedisClient client, RedisNode node, String clientName,
                                                   boolean sharded, String heartbeatChannel, Events events) {
        return client.connectPubSubAsync(StringCodec.UTF8, node.connectionUri(clientName)).toCompletableFuture()
                .thenCompose(connection -> {
                    ShardConnection shard = new ShardConnection(node, sharded, heartbeatChannel, connection, events);
                    shard.listen();
                    return shard.subscribe(List.of(heartbeatChannel)).handle((ignored, failure) -> {
                        if (failure != null) {
                            shard.close();
                            throw failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
                        }
                        return shard;
                    });
                });
    }

    private void listen() {
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received(channel, message);
            }

            @Override
            public void smessage(String channel, String message) {
                received(channel, message);
            }

            @Override
            public void unsubscribed(String channel, long count) {
                dropped(channel);
            }

            @Override
            public void sunsubscribed(String channel, long count) {
                dropped(channel);
            }
        });
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (lost.compareAndSet(false, true)) {
                    events.disconnected(ShardConnection.this);
                }
            }
        });
        if (!connection.isOpen() && lost.compareAndSet(false, true)) {
            events.disconnected(this); // dropped before the listener was in place
        }
    }

    private void received(String channel, String message) {
        if (channel.equals(heartbeatChannel)) {
            boolean first = heardAt == 0;
            heardAt = System.nanoTime();
            events.heartbeat(this, first);
        } else {
            events.message(channel, message);
        }
    }

    /** A channel is no longer subscribed: because the broker asked, or because Redis moved its slot away. */
    private void dropped(String channel) {
        boolean[] ours = {false};
        unsubscribing.computeIfPresent(channel, (c, pending) -> {
            ours[0] = true;
            return pending == 1 ? null : pending - 1;
        });
        if (!ours[0]) {
            events.channelLost(this, channel);
        }
    }

    /**
     * Subscribes channels; in cluster mode all of them must hash to the same slot (one {@code SSUBSCRIBE} may not
     * span slots).
     *
     * @return completes when Redis confirmed the command
     */
    CompletableFuture<Void> subscribe(List<String> channels) {
        String[] names = channels.toArray(String[]::new);
        return (sharded ? connection.async().ssubscribe(names) : connection.async().subscribe(names))
                .toCompletableFuture();
    }

    /** Unsubscribes channels (in cluster mode, of one slot). */
    CompletableFuture<Void> unsubscribe(List<String> channels) {
        channels.forEach(channel -> unsubscribing.merge(channel, 1, Integer::sum));
        String[] names = channels.toArray(String[]::new);
        CompletableFuture<Void> sent = (sharded ? connection.async().sunsubscribe(names)
                : connection.async().unsubscribe(names)).toCompletableFuture();
        return sent.whenComplete((ignored, failure) -> {
            if (failure != null) { // no answer is coming: stop expecting one
                channels.forEach(channel -> unsubscribing.computeIfPresent(channel,
                        (c, pending) -> pending == 1 ? null : pending - 1));
            }
        });
    }

    RedisNode node() {
        return node;
    }

    String heartbeatChannel() {
        return heartbeatChannel;
    }

    /** Whether the connection is up and the broker has not given up on it. */
    boolean isOpen() {
        return !lost.get() && connection.isOpen();
    }

    /** Whether a heartbeat came back since the connection opened. */
    boolean heard() {
        return heardAt != 0;
    }

    /**
     * How long the connection has gone without its heartbeat: since it last came back, since the connection opened,
     * or since {@code publishingSince} (when publishing connected), whichever is latest.
     */
    long silentNanos(long now, long publishingSince) {
        long last = Math.max(heardAt, Math.max(openedAt, publishingSince));
        return now - last;
    }

    /** Closes the connection without reporting it lost. Idempotent. */
    void close() {
        lost.set(true);
        if (closed.compareAndSet(false, true)) {
            connection.closeAsync();
        }
    }

    @Override
    public String toString() {
        return node.address();
    }
}
