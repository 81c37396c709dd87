package io.listsync.broker.redis;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What differs between the modes: how the broker publishes, which nodes it must hold a pub/sub connection to, and
 * which of them owns a channel. The {@link Supervisor} does the rest the same way in every mode.
 *
 * <p>Called on the supervisor's thread, except {@link #ownerOf} and {@link #publish}, which any thread may call.
 */
sealed interface Topology permits SingleNodeTopology, ClusterTopology {

    /** What a topology reports to its supervisor, on any thread; must not block. */
    interface Changes {
        /** Publishing lost its connection, or the node moved (a Sentinel failover): connect again. */
        void lost(String why);

        /** The nodes or their slots changed: see whether channels must move. */
        void changed();
    }

    /**
     * Connects what publishing needs and learns the nodes.
     *
     * @return completes when connected; fails with a {@link RedisMisconfiguredException} when Redis is reachable but
     *         cannot work with these settings, with another exception when it cannot be reached
     */
    CompletionStage<Void> connect();

    /** Whether {@link #connect} succeeded and publishing has not lost its connection since. */
    boolean connected();

    /** The nodes that need a pub/sub connection, as known now; empty until connected. */
    List<RedisNode> nodes();

    /** The {@link RedisNode#id()} of the node that owns a channel, or {@code null} when none does now. */
    String ownerOf(String channel);

    /** The heartbeat channel a connection to {@code node} subscribes: on that node, in cluster mode in its slots. */
    String heartbeatChannel(RedisNode node);

    /** Whether channels are sharded ({@code SSUBSCRIBE}/{@code SPUBLISH}) rather than classic. */
    boolean sharded();

    /**
     * Publishes a message to a channel, failing fast when not connected.
     *
     * @return the number of receivers Redis reports (on a cluster: on the channel's shard)
     */
    CompletionStage<Long> publish(String channel, String message);

    /** Looks at the topology again (cluster slots, the Sentinel's master); completes when done. */
    CompletionStage<Void> refresh();

    /** Once per heartbeat: a cheap check that the broker still talks to the right nodes (Sentinel: the master). */
    void tick();

    /** Drops the publishing connection; the next {@link #connect} starts afresh. */
    void reset();

    /** Releases everything; the client itself is shut down by the broker. */
    void close();
}
