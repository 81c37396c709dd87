package io.listsync.broker.redis;

import io.listsync.broker.ListEvent;
import io.listsync.broker.Subscription;
import io.listsync.broker.kit.Await;
import io.listsync.broker.kit.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Two broker instances on one Redis, standing for two server instances. */
@DisplayName("Redis brokers of two server instances")
class RedisBrokerClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String channelPrefix = LocalRedis.uniqueChannelPrefix();
    private LocalRedis redis;
    private RedisListEventBroker first;
    private RedisListEventBroker second;

    @BeforeEach
    void start() {
        redis = new LocalRedis(LocalRedis.URI);
        first = RedisListEventBroker.start(LocalRedis.config(LocalRedis.URI, channelPrefix));
        second = RedisListEventBroker.start(LocalRedis.config(LocalRedis.URI, channelPrefix));
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        redis.close();
    }

    @Test
    @DisplayName("see each other's events, each in publish order, on dispatch threads rather than Lettuce's")
    void seeEachOthersEvents() {
        String list = "list-" + UUID.randomUUID();
        RecordingListener onFirst = new RecordingListener();
        RecordingListener onSecond = new RecordingListener();
        first.subscribe(list, onFirst);
        second.subscribe(list, onSecond);

        List<ListEvent> fromFirst = publish(first, list, "from_first", 100);
        List<ListEvent> fromSecond = publish(second, list, "from_second", 100);

        for (RecordingListener listener : List.of(onFirst, onSecond)) {
            List<ListEvent> received = listener.awaitCount(200, TIMEOUT).events();
            assertThat(received.stream().filter(e -> e.type().equals("from_first")).toList())
                    .containsExactlyElementsOf(fromFirst);
            assertThat(received.stream().filter(e -> e.type().equals("from_second")).toList())
                    .containsExactlyElementsOf(fromSecond);
            assertThat(listener.threads()).allSatisfy(thread -> {
                assertThat(thread.isVirtual()).isTrue();
                assertThat(thread.getName()).startsWith("listsync-redis-dispatch-");
            });
        }
    }

    @Test
    @DisplayName("hold one Redis channel per list whatever the number of local subscribers, released by the last")
    void referenceCountedChannels() {
        String list = "list-" + UUID.randomUUID();
        String channel = channelPrefix + list;
        List<Subscription> onFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            onFirst.add(first.subscribe(list, event -> { }));
        }
        Subscription onSecond = second.subscribe(list, event -> { });

        assertThat(redis.commands().pubsubNumsub(channel)).containsEntry(channel, 2L);
        assertThat(redis.clientsNamed(first.clientName("sub"))).isEqualTo(1);
        assertThat(redis.clientsNamed(first.clientName("pub"))).isEqualTo(1);

        onFirst.subList(0, 4).forEach(Subscription::close);
        assertThat(redis.commands().pubsubNumsub(channel)).containsEntry(channel, 2L);

        onFirst.get(4).close();
        Await.until(TIMEOUT, "the first instance released the channel",
                () -> redis.commands().pubsubNumsub(channel).get(channel) == 1L);
        onSecond.close();
        Await.until(TIMEOUT, "no instance holds the channel",
                () -> redis.commands().pubsubNumsub(channel).get(channel) == 0L);
    }

    @Test
    @DisplayName("close their connections to Redis when closed")
    void closeReleasesConnections() {
        String subscriber = first.clientName("sub");
        String publisher = first.clientName("pub");
        first.subscribe("list-" + UUID.randomUUID(), event -> { });

        first.close();

        Await.until(TIMEOUT, "Redis no longer lists the closed broker's connections",
                () -> redis.clientsNamed(subscriber) == 0 && redis.clientsNamed(publisher) == 0);
    }

    @Test
    @DisplayName("ignore and count a message on their channels that is not a ListSync event, and keep delivering")
    void foreignMessagesAreCountedNotDelivered() {
        String list = "list-" + UUID.randomUUID();
        RecordingListener listener = new RecordingListener();
        first.subscribe(list, listener);

        assertThat(redis.commands().publish(channelPrefix + list, "not an event")).isEqualTo(1);
        List<ListEvent> events = publish(second, list, "item_created", 1);

        assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactlyElementsOf(events);
        assertThat(first.stats().dropped()).isEqualTo(1);
    }

    private static List<ListEvent> publish(RedisListEventBroker broker, String list, String type, int count) {
        List<ListEvent> events = new ArrayList<>();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int version = 1; version <= count; version++) {
            ListEvent event = new ListEvent(list, type, version, "{\"v\":" + version + "}");
            events.add(event);
            sent.add(broker.publish(event).toCompletableFuture());
        }
        assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(TIMEOUT);
        return events;
    }
}
