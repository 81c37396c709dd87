package io.listsync.broker.redis;

import io.listsync.broker.BrokerException;
import io.listsync.broker.BrokerState;
import io.listsync.broker.ListEvent;
import io.listsync.broker.Subscription;
import io.listsync.broker.kit.Await;
import io.listsync.broker.kit.RecordingListener;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker heals by itself: nobody re-subscribes by hand after a lost connection or a Redis restart. */
@DisplayName("The Redis broker after losing Redis")
class RedisBrokerRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    @DisplayName("resumes delivery after CLIENT KILL of its pub/sub connection, reporting DOWN then UP")
    void resumesAfterClientKill() {
        String list = "list-" + UUID.randomUUID();
        try (LocalRedis redis = new LocalRedis(LocalRedis.URI);
             RedisListEventBroker broker = RedisListEventBroker.start(
                     LocalRedis.config(LocalRedis.URI, LocalRedis.uniqueChannelPrefix()))) {
            List<BrokerState> states = new CopyOnWriteArrayList<>();
            broker.onStateChange(states::add);
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);
            ListEvent before = event(list, 1);
            assertThat(broker.publish(before).toCompletableFuture()).succeedsWithin(TIMEOUT);
            listener.awaitCount(1, TIMEOUT);

            redis.killClient(broker.clientName("sub"));

            Await.until(TIMEOUT, () -> "the broker went DOWN and came back UP: " + states,
                    () -> states.equals(List.of(BrokerState.DOWN, BrokerState.UP)));
            assertThat(broker.state()).isEqualTo(BrokerState.UP);
            ListEvent after = event(list, 2);
            assertThat(broker.publish(after).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(listener.awaitCount(2, TIMEOUT).events()).containsExactly(before, after);
        }
    }

    @Test
    @DisplayName("after a Redis restart re-subscribes every live list, also those subscribed while Redis was down")
    void resumesAfterRedisRestart() {
        String list = "list-" + UUID.randomUUID();
        String listSubscribedWhileDown = "list-" + UUID.randomUUID();
        try (ThrowawayRedis redis = ThrowawayRedis.start();
             RedisListEventBroker broker = RedisListEventBroker.start(
                     LocalRedis.config(redis.uri(), LocalRedis.uniqueChannelPrefix()))) {
            List<BrokerState> states = new CopyOnWriteArrayList<>();
            broker.onStateChange(states::add);
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);
            ListEvent before = event(list, 1);
            assertThat(broker.publish(before).toCompletableFuture()).succeedsWithin(TIMEOUT);
            listener.awaitCount(1, TIMEOUT);

            redis.kill();
            Await.until(TIMEOUT, () -> "the broker reports DOWN: " + states,
                    () -> states.equals(List.of(BrokerState.DOWN)));
            assertThat(broker.state()).isEqualTo(BrokerState.DOWN);
            assertThat(broker.publish(event(list, 99)).toCompletableFuture()).failsWithin(TIMEOUT)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(BrokerException.class);
            RecordingListener lateListener = new RecordingListener();
            broker.subscribe(listSubscribedWhileDown, lateListener);

            redis.startAgain();

            Await.until(TIMEOUT, () -> "the broker reports DOWN then UP: " + states,
                    () -> states.equals(List.of(BrokerState.DOWN, BrokerState.UP)));
            ListEvent after = event(list, 2);
            ListEvent late = event(listSubscribedWhileDown, 1);
            assertThat(broker.publish(after).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(broker.publish(late).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(listener.awaitCount(2, TIMEOUT).events()).containsExactly(before, after);
            assertThat(lateListener.awaitCount(1, TIMEOUT).events()).containsExactly(late);
            assertThat(broker.stats().publishFailures()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("after a Redis restart holds no channel of a list unsubscribed while Redis was down")
    void forgetsListsUnsubscribedWhileDown() {
        String prefix = LocalRedis.uniqueChannelPrefix();
        String kept = "list-" + UUID.randomUUID();
        String dropped = "list-" + UUID.randomUUID();
        try (ThrowawayRedis redis = ThrowawayRedis.start();
             RedisListEventBroker broker = RedisListEventBroker.start(LocalRedis.config(redis.uri(), prefix))) {
            List<BrokerState> states = new CopyOnWriteArrayList<>();
            broker.onStateChange(states::add);
            broker.subscribe(kept, event -> { });
            Subscription leaving = broker.subscribe(dropped, event -> { });

            redis.kill();
            Await.until(TIMEOUT, () -> "the broker reports DOWN: " + states,
                    () -> states.equals(List.of(BrokerState.DOWN)));
            leaving.close(); // its UNSUBSCRIBE cannot reach Redis now
            redis.startAgain();
            Await.until(TIMEOUT, () -> "the broker reports DOWN then UP: " + states,
                    () -> states.equals(List.of(BrokerState.DOWN, BrokerState.UP)));

            try (LocalRedis admin = new LocalRedis(redis.uri())) {
                Await.until(TIMEOUT, () -> "only the kept list's channel is subscribed: "
                                + admin.listChannels(prefix),
                        () -> admin.listChannels(prefix).equals(List.of(prefix + kept)));
            }
            assertThat(broker.stats().subscribedLists()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("finds itself deaf when its heartbeat stops coming back while the connection claims to be up (CLIENT PAUSE): DOWN, counted, logged, then UP with delivery")
    void findsItselfDeaf() {
        String list = "list-" + UUID.randomUUID();
        try (ThrowawayRedis redis = ThrowawayRedis.start(); CapturedLog log = new CapturedLog();
             RedisListEventBroker broker = RedisListEventBroker.start(RedisTestConfigs.fastHeartbeat(
                     LocalRedis.config(redis.uri(), LocalRedis.uniqueChannelPrefix())))) {
            List<BrokerState> states = new CopyOnWriteArrayList<>();
            broker.onStateChange(states::add);
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);

            // Redis holds every client's commands: nothing drops, nothing arrives
            ThrowawayRedisCli.require(redis.port(), "CLIENT", "PAUSE", "4000", "ALL");

            Await.until(TIMEOUT, () -> "the broker found itself deaf: " + states + ", " + broker.stats(),
                    () -> broker.stats().heartbeatMisses() >= 1 && states.contains(BrokerState.DOWN));
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("WARNING Redis broker is deaf on"
                    + " 127.0.0.1:" + redis.port() + ": its heartbeat has not come back for "));
            Await.until(TIMEOUT, () -> "the broker is UP again: " + states,
                    () -> broker.state() == BrokerState.UP && states.getLast() == BrokerState.UP);
            assertThat(broker.stats().resubscriptions()).isGreaterThanOrEqualTo(1);
            ListEvent after = event(list, 1);
            assertThat(broker.publish(after).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(listener.awaitEvent(after::equals, TIMEOUT).events()).contains(after);
        }
    }

    @Test
    @DisplayName("finds itself deaf when its pub/sub connection silently stops passing bytes (a network dropping its packets): DOWN, then UP once the network heals, with delivery")
    void findsSilentConnectionDeaf() {
        String list = "list-" + UUID.randomUUID();
        try (ThrowawayRedis redis = ThrowawayRedis.start(); ThrowawayRedisProxy network = ThrowawayRedisProxy.to(
                redis.port());
             RedisListEventBroker broker = RedisListEventBroker.start(RedisTestConfigs.fastHeartbeat(
                     LocalRedis.config(network.uri(), LocalRedis.uniqueChannelPrefix())))) {
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);
            ListEvent before = event(list, 1);
            assertThat(broker.publish(before).toCompletableFuture()).succeedsWithin(TIMEOUT);
            listener.awaitCount(1, TIMEOUT);

            network.freezeSubscribers();
            Await.until(TIMEOUT, () -> "the broker found itself deaf: " + broker.stats(),
                    () -> broker.stats().heartbeatMisses() >= 1 && broker.state() == BrokerState.DOWN);
            network.thaw();

            Await.until(TIMEOUT, "the broker is UP again", () -> broker.state() == BrokerState.UP);
            ListEvent after = event(list, 2);
            assertThat(broker.publish(after).toCompletableFuture()).succeedsWithin(TIMEOUT);
            assertThat(listener.awaitEvent(after::equals, TIMEOUT).events()).startsWith(before).contains(after);
        }
    }

    private static ListEvent event(String list, long version) {
        return new ListEvent(list, "item_created", version, "{\"version\":" + version + "}");
    }
}
