package io.listsync.broker.redis;

import io.listsync.broker.BrokerState;
import io.listsync.broker.ListEvent;
import io.listsync.broker.kit.Await;
import io.listsync.broker.kit.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What cluster mode adds, against the shared 3-master / 3-replica throw-away cluster: sharded channels on the shard
 * that owns them, one pub/sub connection per master, and following the cluster when masters fail, slots move and
 * nodes join. Two brokers stand for two server instances.
 */
@DisplayName("The Redis broker on a Redis Cluster")
class RedisClusterBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static ThrowawayRedisCluster cluster;

    private final String prefix = LocalRedis.uniqueChannelPrefix();
    private final List<RedisListEventBroker> brokers = new ArrayList<>();
    private Runnable restore = () -> { };

    @BeforeAll
    static void startCluster() {
        cluster = ThrowawayRedisCluster.shared();
    }

    @BeforeEach
    void healthy() {
        cluster.awaitHealthy();
    }

    @AfterEach
    void closeAndRestore() {
        brokers.forEach(RedisListEventBroker::close);
        restore.run();
        cluster.awaitHealthy();
    }

    private RedisListEventBroker broker(RedisBrokerConfig config) {
        RedisListEventBroker broker = RedisListEventBroker.start(config);
        brokers.add(broker);
        return broker;
    }

    private RedisListEventBroker broker() {
        return broker(RedisTestConfigs.cluster(cluster, prefix));
    }

    @Test
    @DisplayName("subscribes each list on the master owning its slot, with one pub/sub connection per master for any number of lists")
    void channelsLiveOnTheirShard() {
        RedisListEventBroker first = broker();
        RedisListEventBroker second = broker();
        List<String> lists = IntStream.range(0, 300).mapToObj(i -> "list-" + UUID.randomUUID()).toList();
        Map<String, RecordingListener> onSecond = new HashMap<>();
        for (String list : lists) {
            first.subscribe(list, event -> { });
            RecordingListener listener = new RecordingListener();
            second.subscribe(list, listener);
            onSecond.put(list, listener);
        }

        Map<Integer, List<String>> expected = lists.stream().map(list -> prefix + list)
                .collect(Collectors.groupingBy(cluster::masterOfChannel));
        assertThat(expected).hasSize(3); // 300 random lists land on every shard
        for (int master : cluster.masters()) {
            assertThat(cluster.shardChannels(master, prefix + "list-*"))
                    .as("list channels on master %s", master)
                    .containsExactlyInAnyOrderElementsOf(expected.get(master));
            for (RedisListEventBroker broker : List.of(first, second)) {
                assertThat(cluster.clientsNamed(master, broker.clientName("sub"))).isEqualTo(1);
            }
        }
        List<ListEvent> published = lists.stream().map(list -> event(list, 1)).toList();
        publishAll(first, published);
        for (ListEvent event : published) {
            assertThat(onSecond.get(event.listId()).awaitCount(1, TIMEOUT).events()).containsExactly(event);
        }
    }

    @Test
    @DisplayName("an event travels only within the shard that owns its list: no classic PUBLISH broadcast, sharded messages reach only that shard's replica")
    void eventsStayInTheirShard() {
        RedisListEventBroker first = broker();
        RedisListEventBroker second = broker();
        String list = "list-" + UUID.randomUUID();
        RecordingListener listener = new RecordingListener();
        second.subscribe(list, listener);
        int owner = cluster.masterOfChannel(prefix + list);
        Map<Integer, Long> broadcastBefore = clusterStat("cluster_stats_messages_publish_received");
        Map<Integer, Long> shardBefore = clusterStat("cluster_stats_messages_publishshard_received");

        int events = 200;
        publishAll(first, IntStream.rangeClosed(1, events).mapToObj(v -> event(list, v)).toList());
        listener.awaitCount(events, TIMEOUT);

        String ownerId = cluster.nodeId(owner);
        List<Integer> ownersReplicas = cluster.view().stream().filter(node -> ownerId.equals(node.masterId()))
                .map(ThrowawayRedisCluster.ClusterNode::port).toList();
        assertThat(ownersReplicas).isNotEmpty();
        // the replica counts each message when it has processed it, a moment after the listener got it
        Await.until(TIMEOUT, "the owner's replica received every event over the cluster bus", () -> {
            Map<Integer, Long> sharded = delta(shardBefore,
                    clusterStat("cluster_stats_messages_publishshard_received"));
            return ownersReplicas.stream().allMatch(port -> sharded.get(port) >= events);
        });
        Map<Integer, Long> broadcast = delta(broadcastBefore, clusterStat("cluster_stats_messages_publish_received"));
        Map<Integer, Long> sharded = delta(shardBefore, clusterStat("cluster_stats_messages_publishshard_received"));
        assertThat(broadcast.values()).as("classic PUBLISH messages on the cluster bus").allMatch(n -> n == 0);
        for (ThrowawayRedisCluster.ClusterNode node : cluster.view()) {
            if (!ownersReplicas.contains(node.port())) {
                // only the brokers' heartbeats reach other shards' replicas, a few per second
                assertThat(sharded.get(node.port())).as("node %s outside the shard", node.port())
                        .isLessThan(events / 2);
            }
        }
    }

    @Test
    @DisplayName("follows a failover: the master owning a list killed with SIGKILL, its replica promoted; DOWN then UP, every channel on the new master, delivery resumes")
    void followsFailover() {
        RedisListEventBroker first = broker();
        RedisListEventBroker second = broker();
        List<String> lists = IntStream.range(0, 200).mapToObj(i -> "list-" + UUID.randomUUID()).toList();
        Map<String, RecordingListener> onSecond = new HashMap<>();
        for (String list : lists) {
            RecordingListener listener = new RecordingListener();
            second.subscribe(list, listener);
            onSecond.put(list, listener);
        }
        List<BrokerState> states = new CopyOnWriteArrayList<>();
        second.onStateChange(states::add);
        String watched = lists.getFirst();
        int slot = cluster.slot(prefix + watched);
        int master = cluster.masterOf(slot);
        List<String> onKilledShard = lists.stream().filter(l -> cluster.masterOfChannel(prefix + l) == master)
                .toList();

        cluster.kill(master);
        restore = () -> cluster.restart(master);
        Await.until(TIMEOUT, () -> "both brokers report DOWN: " + states,
                () -> first.state() == BrokerState.DOWN && second.state() == BrokerState.DOWN);
        cluster.awaitFailover(slot, master);
        Await.until(TIMEOUT, () -> "both brokers are back UP: " + states,
                () -> first.state() == BrokerState.UP && second.state() == BrokerState.UP);

        assertThat(states).containsExactly(BrokerState.DOWN, BrokerState.UP);
        int promoted = cluster.masterOf(slot);
        assertThat(promoted).isNotEqualTo(master);
        assertThat(cluster.shardChannels(promoted, prefix + "list-*"))
                .as("every channel of the failed shard, resubscribed slot by slot on the promoted replica")
                .containsAll(onKilledShard.stream().map(l -> prefix + l).toList());
        assertThat(cluster.clientsNamed(promoted, second.clientName("sub"))).isEqualTo(1);
        assertThat(second.stats().resubscriptions()).isEqualTo(1);
        List<ListEvent> after = lists.stream().map(list -> event(list, 2)).toList();
        publishAll(first, after);
        for (ListEvent event : after) {
            assertThat(onSecond.get(event.listId()).awaitEvent(event::equals, TIMEOUT).events()).contains(event);
        }
    }

    @Test
    @DisplayName("follows a slot that moves to another master: Redis drops the channel, the broker reports DOWN then UP and subscribes it on the new owner")
    void followsSlotMove() {
        RedisListEventBroker first = broker();
        RedisListEventBroker second = broker();
        String list = "list-" + UUID.randomUUID();
        RecordingListener listener = new RecordingListener();
        second.subscribe(list, listener);
        List<BrokerState> states = new CopyOnWriteArrayList<>();
        second.onStateChange(states::add);
        int slot = cluster.slot(prefix + list);
        int from = cluster.masterOf(slot);
        int to = cluster.masters().stream().filter(port -> port != from).findFirst().orElseThrow();

        cluster.moveSlot(slot, to);
        restore = () -> cluster.moveSlot(slot, cluster.masters().stream().filter(port -> port == from).findFirst()
                .orElse(from));

        Await.until(TIMEOUT, () -> "the broker reported DOWN then UP: " + states,
                () -> states.equals(List.of(BrokerState.DOWN, BrokerState.UP)));
        Await.until(TIMEOUT, "the channel is on its new owner",
                () -> cluster.shardChannels(to, prefix + list).equals(List.of(prefix + list)));
        assertThat(cluster.shardChannels(from, prefix + list)).isEmpty();
        ListEvent event = event(list, 1);
        // the publishing connection to the slot's new owner may still be connecting: the broker refuses rather than queues
        // (REJECT_COMMANDS; the server's relay republishes what was refused), so a caller tries again
        Await.until(TIMEOUT, "a publish through the slot's new owner is accepted", () -> {
            try {
                first.publish(event).toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (Exception refused) {
                return false;
            }
        });
        assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactly(event);
    }

    @Test
    @DisplayName("a node that joins and takes over a slot gets a pub/sub connection of its own and that slot's channels")
    void followsNewNode() {
        RedisListEventBroker first = broker();
        RedisListEventBroker second = broker();
        String list = "list-" + UUID.randomUUID();
        RecordingListener listener = new RecordingListener();
        second.subscribe(list, listener);
        int slot = cluster.slot(prefix + list);
        int from = cluster.masterOf(slot);

        int added = cluster.addNode();
        cluster.moveSlot(slot, added);
        restore = () -> cluster.moveSlot(slot, from);

        Await.until(TIMEOUT, "the new node holds the list's channel and one pub/sub connection per broker",
                () -> cluster.shardChannels(added, prefix + list).equals(List.of(prefix + list))
                        && cluster.clientsNamed(added, second.clientName("sub")) == 1
                        && cluster.clientsNamed(added, first.clientName("sub")) == 1);
        Await.until(TIMEOUT, "both brokers are UP", () -> first.state() == BrokerState.UP
                && second.state() == BrokerState.UP);
        ListEvent event = event(list, 1);
        // the publishing connection to the slot's new owner may still be connecting: the broker refuses rather than queues
        // (REJECT_COMMANDS; the server's relay republishes what was refused), so a caller tries again
        Await.until(TIMEOUT, "a publish through the slot's new owner is accepted", () -> {
            try {
                first.publish(event).toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (Exception refused) {
                return false;
            }
        });
        assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactly(event);
    }

    @Test
    @DisplayName("a master that stops answering (CLIENT PAUSE beyond the heartbeat deadline) makes the broker deaf: DOWN, counted, then UP again with delivery")
    void deafShard() {
        RedisListEventBroker first = broker(RedisTestConfigs.fastHeartbeat(RedisTestConfigs.cluster(cluster,
                prefix)));
        RedisListEventBroker second = broker(RedisTestConfigs.fastHeartbeat(RedisTestConfigs.cluster(cluster,
                prefix)));
        String list = "list-" + UUID.randomUUID();
        RecordingListener listener = new RecordingListener();
        second.subscribe(list, listener);
        List<BrokerState> states = new CopyOnWriteArrayList<>();
        second.onStateChange(states::add);
        int master = cluster.masterOfChannel(prefix + list);

        cluster.pause(master, Duration.ofSeconds(4));

        Await.until(TIMEOUT, () -> "the broker noticed it hears nothing: " + second.stats(),
                () -> second.stats().heartbeatMisses() >= 1 && second.state() == BrokerState.DOWN);
        Await.until(TIMEOUT, () -> "the broker is back UP: " + states, () -> second.state() == BrokerState.UP
                && first.state() == BrokerState.UP);
        assertThat(states.getFirst()).isEqualTo(BrokerState.DOWN);
        assertThat(states.getLast()).isEqualTo(BrokerState.UP);
        ListEvent event = event(list, 1);
        publishAll(first, List.of(event));
        assertThat(listener.awaitEvent(event::equals, TIMEOUT).events()).contains(event);
    }

    private Map<Integer, Long> clusterStat(String field) {
        Map<Integer, Long> values = new HashMap<>();
        for (int port : cluster.ports()) {
            String info = ThrowawayRedisCli.text(port, "CLUSTER", "INFO");
            long value = info == null ? 0 : info.lines().filter(line -> line.startsWith(field + ":")).findFirst()
                    .map(line -> Long.parseLong(line.substring(field.length() + 1).strip())).orElse(0L);
            values.put(port, value);
        }
        return values;
    }

    private static Map<Integer, Long> delta(Map<Integer, Long> before, Map<Integer, Long> after) {
        Map<Integer, Long> delta = new HashMap<>();
        after.forEach((port, value) -> delta.put(port, value - before.getOrDefault(port, 0L)));
        return delta;
    }

    private static ListEvent event(String list, long version) {
        return new ListEvent(list, "item_created", version, "{\"version\":" + version + "}");
    }

    private static void publishAll(RedisListEventBroker broker, List<ListEvent> events) {
        List<CompletableFuture<Void>> sent = events.stream().map(e -> broker.publish(e).toCompletableFuture())
                .toList();
        assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(TIMEOUT);
    }
}
