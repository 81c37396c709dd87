package io.listsync.broker.redis;

import io.listsync.broker.BrokerException;
import io.listsync.broker.BrokerState;
import io.listsync.broker.ListEvent;
import io.listsync.broker.kit.Await;
import io.listsync.broker.kit.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What sentinel mode adds: finding the master through the sentinels and moving with it. */
@DisplayName("The Redis broker behind Redis Sentinel")
class RedisSentinelBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static ThrowawayRedisSentinels sentinels;
    private final String prefix = LocalRedis.uniqueChannelPrefix();

    @BeforeAll
    static void startSentinels() {
        sentinels = ThrowawayRedisSentinels.shared();
    }

    @AfterEach
    void healthy() {
        sentinels.awaitHealthy();
    }

    @Test
    @DisplayName("connects to the master the sentinels name, and after a manual failover (SENTINEL FAILOVER) to the promoted replica")
    void followsManualFailover() {
        try (RedisListEventBroker first = RedisListEventBroker.start(RedisTestConfigs.sentinel(sentinels, prefix));
             RedisListEventBroker second = RedisListEventBroker.start(RedisTestConfigs.sentinel(sentinels, prefix))) {
            int master = sentinels.masterPort();
            assertThat(ThrowawayRedisCluster.info(master, "role")).isEqualTo("master");
            assertThat(clients(master, second.clientName("sub"))).isEqualTo(1);
            assertThat(clients(master, second.clientName("pub"))).isEqualTo(1);
            String list = "list-" + UUID.randomUUID();
            RecordingListener listener = new RecordingListener();
            second.subscribe(list, listener);
            List<BrokerState> states = new CopyOnWriteArrayList<>();
            second.onStateChange(states::add);

            Object answer = ThrowawayRedisCli.require(sentinelPort(), "SENTINEL", "FAILOVER",
                    sentinels.masterName());
            assertThat(answer).isEqualTo("OK");
            Await.until(TIMEOUT, "the sentinels name the other node", () -> sentinels.masterPort() != master);
            int promoted = sentinels.masterPort();

            Await.until(TIMEOUT, () -> "the broker moved to the promoted master: " + states,
                    () -> states.equals(List.of(BrokerState.DOWN, BrokerState.UP))
                            && clients(promoted, second.clientName("sub")) == 1
                            && clients(promoted, second.clientName("pub")) == 1);
            Await.until(TIMEOUT, "the first broker moved too", () -> first.state() == BrokerState.UP
                    && clients(promoted, first.clientName("pub")) == 1);
            ListEvent event = new ListEvent(list, "item_created", 1, "{}");
            assertThat(first.publish(event).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactly(event);
        }
    }

    @Test
    @DisplayName("refuses to start with a master name the sentinels do not monitor, naming those they do")
    void unknownMasterName() {
        RedisBrokerConfig config = RedisTestConfigs.sentinel(sentinels, prefix)
                .withMode(RedisMode.SENTINEL, sentinels.uri("nosuchmaster"));

        assertThatThrownBy(() -> RedisListEventBroker.start(config))
                .isInstanceOf(BrokerException.class)
                .hasMessageContaining("names the master 'nosuchmaster', which the sentinels do not monitor")
                .hasMessageContaining("they monitor [" + sentinels.masterName() + "]");
    }

    @Test
    @DisplayName("starts DOWN while no sentinel is up, and connects to the master once they appear")
    void sentinelsAppearLater() {
        try (ThrowawayRedisSentinels later = ThrowawayRedisSentinels.reserve();
             RedisListEventBroker broker = RedisListEventBroker.start(RedisTestConfigs.sentinel(later, prefix))) {
            assertThat(broker.state()).isEqualTo(BrokerState.DOWN);
            String list = "list-" + UUID.randomUUID();
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener); // recorded while DOWN
            assertThat(broker.publish(new ListEvent(list, "item_created", 1, "{}")).toCompletableFuture())
                    .failsWithin(TIMEOUT);

            later.create();

            Await.until(TIMEOUT, "the broker is UP", () -> broker.state() == BrokerState.UP);
            ListEvent event = new ListEvent(list, "item_created", 2, "{}");
            assertThat(broker.publish(event).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactly(event);
        }
    }

    private static int sentinelPort() {
        String uri = sentinels.uri();
        String first = uri.substring("redis-sentinel://".length()).split("[,#]")[0];
        return Integer.parseInt(first.substring(first.indexOf(':') + 1));
    }

    private static long clients(int port, String name) {
        String list = ThrowawayRedisCli.text(port, "CLIENT", "LIST");
        return list == null ? 0 : list.lines().filter(line -> line.contains(" name=" + name + " ")).count();
    }
}
