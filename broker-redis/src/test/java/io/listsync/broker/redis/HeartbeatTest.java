package io.listsync.broker.redis;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Heartbeat channels")
class HeartbeatTest {

    @Test
    @DisplayName("exist for every one of the 16,384 slots, each hashing to its slot, under the channel prefix")
    void oneChannelPerSlot() {
        Heartbeat heartbeat = new Heartbeat("listsync:list:", "abc123");
        Set<String> channels = new HashSet<>();
        for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
            String channel = heartbeat.channel(slot);
            assertThat(Heartbeat.slot(channel)).as(channel).isEqualTo(slot);
            assertThat(Heartbeat.isHeartbeat(channel, "listsync:list:")).isTrue();
            channels.add(channel);
        }
        assertThat(channels).hasSize(SlotHash.SLOT_COUNT);
        assertThat(heartbeat.channel()).isEqualTo("listsync:list:~heartbeat:abc123");
        assertThat(Heartbeat.isHeartbeat("listsync:list:42", "listsync:list:")).isFalse();
    }
}
