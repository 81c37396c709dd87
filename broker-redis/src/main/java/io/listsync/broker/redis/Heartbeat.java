package io.listsync.broker.redis;

import io.lettuce.core.cluster.SlotHash;

import java.nio.charset.StandardCharsets;

/**
 * Names the heartbeat channels. Each pub/sub connection of a broker instance subscribes a channel of its own, the
 * instance publishes a tiny message there every {@code heartbeat-interval} through its normal publishing path, and
 * a connection that stops hearing it while it claims to be up is deaf (see {@link Supervisor}).
 *
 * <p>The channel is {@code <prefix>~heartbeat:<instance>}: under the channel prefix, so an ACL that allows the
 * broker its channels allows the heartbeat too, and starting with {@code ~}, which no list id the server makes
 * does. In cluster mode each shard needs a channel in one of its own slots: the name then ends in a hash tag chosen
 * for that slot, {@code <prefix>~heartbeat:<instance>:{<tag>}}.
 */
final class Heartbeat {

    private final String base;

    Heartbeat(String channelPrefix, String instanceId) {
        this.base = channelPrefix + "~heartbeat:" + instanceId;
    }

    /** The heartbeat channel of a standalone or sentinel broker. */
    String channel() {
        return base;
    }

    /** A heartbeat channel that hashes to {@code slot}, for the shard that owns it. */
    String channel(int slot) {
        return base + ":{" + SlotTags.TAGS[slot] + "}";
    }

    /** Whether a channel is a heartbeat channel (of any instance under this prefix). */
    static boolean isHeartbeat(String channel, String channelPrefix) {
        return channel.startsWith(channelPrefix + "~heartbeat:");
    }

    /** The slot of a channel, as Redis Cluster computes it (CRC16 of the UTF-8 bytes, honouring a hash tag). */
    static int slot(String channel) {
        return SlotHash.getSlot(channel.getBytes(StandardCharsets.UTF_8));
    }

    /** For every slot, a short hash tag that hashes to it; built once, on first use (about 170,000 CRC16s). */
    private static final class SlotTags {
        static final String[] TAGS = build();

        private static String[] build() {
            String[] tags = new String[SlotHash.SLOT_COUNT];
            int missing = tags.length;
            for (long n = 0; missing > 0; n++) {
                String tag = Long.toString(n, 36);
                int slot = SlotHash.getSlot(tag.getBytes(StandardCharsets.US_ASCII));
                if (tags[slot] == null) {
                    tags[slot] = tag;
                    missing--;
                }
            }
            return tags;
        }
    }
}
