package io.listsync.broker.kit;

import io.listsync.broker.BrokerState;
import io.listsync.broker.BrokerStats;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventListener;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link ListEventBroker} keeps, as tests. An implementation's test extends this class and
 * supplies {@link #createBroker()}; everything else is inherited:
 *
 * <pre>{@code
 * class MyBrokerContractTest extends ListEventBrokerContract {
 *     @Override
 *     protected ListEventBroker createBroker() {
 *         return new MyBroker(...);
 *     }
 * }
 * }</pre>
 *
 * <p>The kit publishes bursts of up to 1,000 events to one subscription and expects all of them delivered, so a
 * broker's per-subscription backlog must hold at least 1,000 events (the server's own limit for a socket).
 *
 * <p>Each test gets a fresh broker and its own list ids, so a networked broker can share one server across tests
 * as long as each test run uses its own channel namespace. Tests wait for conditions with bounded timeouts
 * ({@link #timeout()}), never for fixed times, and wait for {@code publish} futures before relying on delivery.
 */
public abstract class ListEventBrokerContract {

    /** The broker under test, created before and closed after each test. */
    protected ListEventBroker broker;

    /**
     * Creates a new, started broker. Called once before each test, and again by tests that need a second one.
     */
    protected abstract ListEventBroker createBroker();

    /** The longest any single wait in these tests may take. */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * Checks that nothing is left on the remote side after every subscription was closed, for example no channel
     * still subscribed on a Redis server. Networked brokers override it; may wait with {@link Await}.
     */
    protected void assertNoRemoteSubscriptionsLeft() {
    }

    /**
     * Whether a thread belongs to the JVM or the test harness rather than to a broker, so that
     * {@code close} is not blamed for it. Override to add shared pools of your own (not your broker's).
     */
    protected boolean isSharedThread(Thread thread) {
        String name = thread.getName();
        return thread.isVirtual() || JVM_SHARED_THREADS.stream().anyMatch(name::startsWith);
    }

    /** Threads the JDK and the test harness start on demand and keep, whoever triggered them. */
    private static final List<String> JVM_SHARED_THREADS = List.of("ForkJoinPool", "VirtualThread-",
            "Common-Cleaner", "process reaper", "Attach Listener", "JFR", "surefire", "junit", "Notification Thread",
            "InnocuousThread");

    @BeforeEach
    void createBrokerUnderTest() {
        broker = createBroker();
    }

    @AfterEach
    void closeBrokerUnderTest() {
        if (broker != null) {
            broker.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    @DisplayName("Delivery")
    class Delivery {

        @Test
        @DisplayName("every subscriber of a list receives each event exactly once")
        void everySubscriberReceivesEachEventOnce() {
            String list = newListId();
            List<RecordingListener> subscribers = List.of(new RecordingListener(), new RecordingListener(),
                    new RecordingListener());
            subscribers.forEach(listener -> broker.subscribe(list, listener));

            List<ListEvent> published = events(list, 1, 50);
            publishAll(published);
            // The fence comes after every event in publish order, so a duplicate would arrive before it.
            publishFenceAndAwait(list, subscribers);

            for (RecordingListener subscriber : subscribers) {
                assertThat(withoutFences(subscriber.events())).containsExactlyElementsOf(published);
            }
        }

        @Test
        @DisplayName("an event reaches only the subscribers of its own list")
        void nothingCrossesToOtherLists() {
            String list = newListId();
            String otherList = newListId();
            RecordingListener listener = new RecordingListener();
            RecordingListener other = new RecordingListener();
            broker.subscribe(list, listener);
            broker.subscribe(otherList, other);

            List<ListEvent> published = events(list, 1, 20);
            publishAll(published);
            listener.awaitCount(published.size(), timeout());
            publishFenceAndAwait(otherList, List.of(other));

            assertThat(other.events()).allMatch(event -> event.listId().equals(otherList)).hasSize(1);
            assertThat(listener.events()).containsExactlyElementsOf(published);
        }

        @Test
        @DisplayName("list id, type, version and payload arrive unchanged, whatever characters they hold")
        void eventsArriveUnchanged() {
            String list = newListId() + ":ünï/cødé {x}";
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);
            ListEvent event = new ListEvent(list, "item_updated", Long.MAX_VALUE,
                    "{\"name\":\"Milch ü 牛奶 🥛\",\n\"note\":\"line\\nbreak | tab\t\"}");
            ListEvent empty = new ListEvent(list, "list_updated", 0, "");

            publishAll(List.of(event, empty));

            assertThat(listener.awaitCount(2, timeout()).events()).containsExactly(event, empty);
        }

        @Test
        @DisplayName("a listener subscribed twice to a list gets each event once per subscription")
        void eachSubscriptionIsSeparate() {
            String list = newListId();
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);
            Subscription second = broker.subscribe(list, listener);
            ListEvent event = event(list, 1);

            publishAll(List.of(event));
            listener.awaitCount(2, timeout());
            second.close();
            publishFenceAndAwait(list, List.of(listener));

            assertThat(withoutFences(listener.events())).containsExactly(event, event);
        }

        @Test
        @DisplayName("publishing to a list nobody subscribed to succeeds")
        void publishingWithoutSubscribersSucceeds() {
            assertThat(broker.publish(event(newListId(), 1)).toCompletableFuture()).succeedsWithin(timeout());
        }
    }

    @Nested
    @DisplayName("Order")
    class Order {

        @Test
        @DisplayName("events of each list arrive in publish order while several publishers publish to several lists")
        void perListOrderUnderConcurrentPublishers() throws Exception {
            int publishers = 4;
            int lists = 8;
            int eventsPerPublisherAndList = 250;
            List<String> listIds = IntStream.range(0, lists).mapToObj(i -> newListId()).toList();
            Map<String, RecordingListener> listeners = new HashMap<>();
            for (String listId : listIds) {
                RecordingListener listener = new RecordingListener();
                broker.subscribe(listId, listener);
                listeners.put(listId, listener);
            }

            // Each publisher interleaves all lists; its id travels in the type, its sequence in the version.
            try (ExecutorService pool = Executors.newFixedThreadPool(publishers)) {
                List<Future<List<CompletableFuture<Void>>>> runs = new ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    String publisher = "p" + p;
                    runs.add(pool.submit(() -> {
                        List<CompletableFuture<Void>> sent = new ArrayList<>();
                        for (int seq = 1; seq <= eventsPerPublisherAndList; seq++) {
                            for (String listId : listIds) {
                                sent.add(broker.publish(new ListEvent(listId, publisher, seq, "{}"))
                                        .toCompletableFuture());
                            }
                        }
                        return sent;
                    }));
                }
                for (Future<List<CompletableFuture<Void>>> run : runs) {
                    awaitAll(run.get(timeout().toMillis(), TimeUnit.MILLISECONDS));
                }
            }

            int perList = publishers * eventsPerPublisherAndList;
            for (String listId : listIds) {
                List<ListEvent> received = listeners.get(listId).awaitCount(perList, timeout()).events();
                assertThat(received).hasSize(perList).allMatch(event -> event.listId().equals(listId));
                Map<String, List<Long>> versionsByPublisher = received.stream().collect(Collectors.groupingBy(
                        ListEvent::type, Collectors.mapping(ListEvent::version, Collectors.toList())));
                assertThat(versionsByPublisher).hasSize(publishers);
                versionsByPublisher.forEach((publisher, versions) -> assertThat(versions)
                        .as("versions of %s on %s", publisher, listId)
                        .isEqualTo(LongStream.rangeClosed(1, eventsPerPublisherAndList).boxed().toList()));
            }
        }
    }

    @Nested
    @DisplayName("Unsubscribing")
    class Unsubscribing {

        @Test
        @DisplayName("closing a subscription stops its delivery at once while other subscribers keep receiving")
        void closeStopsDeliveryAtOnce() {
            String list = newListId();
            RecordingListener leaving = new RecordingListener();
            RecordingListener staying = new RecordingListener();
            Subscription subscription = broker.subscribe(list, leaving);
            broker.subscribe(list, staying);
            ListEvent before = event(list, 1);
            publishAll(List.of(before));
            leaving.awaitCount(1, timeout());

            subscription.close();
            List<ListEvent> after = events(list, 2, 20);
            publishAll(after);
            publishFenceAndAwait(list, List.of(staying));

            assertThat(leaving.events()).containsExactly(before);
            assertThat(withoutFences(staying.events())).hasSize(1 + after.size());
            assertThat(subscription.listId()).isEqualTo(list);
        }

        @Test
        @DisplayName("closing a subscription twice is harmless and counts once")
        void closeIsIdempotent() {
            String list = newListId();
            Subscription first = broker.subscribe(list, event -> { });
            broker.subscribe(list, event -> { });
            assertThat(broker.stats().subscriptions()).isEqualTo(2);

            first.close();
            first.close();

            assertThat(broker.stats().subscriptions()).isEqualTo(1);
            assertThat(broker.stats().subscribedLists()).isEqualTo(1);
        }

        @Test
        @DisplayName("a listener may close its own subscription from inside its call and then receives nothing more")
        void listenerMayUnsubscribeItself() {
            String list = newListId();
            AtomicReference<Subscription> self = new AtomicReference<>();
            RecordingListener recorder = new RecordingListener();
            CountDownLatch subscribed = new CountDownLatch(1);
            self.set(broker.subscribe(list, event -> {
                awaitLatch(subscribed);
                recorder.onEvent(event);
                self.get().close();
            }));
            subscribed.countDown();
            RecordingListener witness = new RecordingListener();
            broker.subscribe(list, witness);

            publishAll(events(list, 1, 10));
            publishFenceAndAwait(list, List.of(witness));

            assertThat(recorder.events()).extracting(ListEvent::version).containsExactly(1L);
            assertThat(broker.stats().subscriptions()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("Listener isolation")
    class ListenerIsolation {

        @Test
        @DisplayName("a listener that throws stays subscribed, and other listeners still get every event")
        void throwingListenerKeepsSubscription() {
            String list = newListId();
            AtomicInteger calls = new AtomicInteger();
            broker.subscribe(list, event -> {
                calls.incrementAndGet();
                throw new IllegalStateException("listener failure provoked by the contract kit");
            });
            RecordingListener healthy = new RecordingListener();
            broker.subscribe(list, healthy);

            List<ListEvent> published = events(list, 1, 20);
            publishAll(published);

            healthy.awaitCount(published.size(), timeout());
            Await.until(timeout(), () -> "the throwing listener was called 20 times (" + calls + ")",
                    () -> calls.get() == published.size());
            assertThat(healthy.events()).containsExactlyElementsOf(published);
            Await.until(timeout(), "the failures are counted", () -> broker.stats().listenerFailures() >= 20);
        }

        @Test
        @DisplayName("a slow listener delays neither the other listeners of its list nor those of other lists")
        void slowListenerDelaysOnlyItself() {
            String list = newListId();
            String otherList = newListId();
            CountDownLatch release = new CountDownLatch(1);
            RecordingListener slow = new RecordingListener();
            broker.subscribe(list, event -> {
                awaitLatch(release);
                slow.onEvent(event);
            });
            RecordingListener sameList = new RecordingListener();
            RecordingListener otherListListener = new RecordingListener();
            broker.subscribe(list, sameList);
            broker.subscribe(otherList, otherListListener);
            try {
                List<ListEvent> onList = events(list, 1, 50);
                List<ListEvent> onOtherList = events(otherList, 1, 50);
                publishAll(onList);
                publishAll(onOtherList);

                assertThat(sameList.awaitCount(50, timeout()).events()).containsExactlyElementsOf(onList);
                assertThat(otherListListener.awaitCount(50, timeout()).events())
                        .containsExactlyElementsOf(onOtherList);
                assertThat(slow.count()).isZero();

                release.countDown();
                assertThat(slow.awaitCount(50, timeout()).events()).containsExactlyElementsOf(onList);
            } finally {
                release.countDown();
            }
        }

        @Test
        @DisplayName("a listener that falls behind loses only the overflow beyond its backlog, counted, then catches up")
        void overflowIsDroppedAndCounted() {
            String list = newListId();
            CountDownLatch release = new CountDownLatch(1);
            RecordingListener behind = new RecordingListener();
            broker.subscribe(list, event -> {
                awaitLatch(release);
                behind.onEvent(event);
            });
            long droppedBefore = broker.stats().dropped();
            int published = 0;
            try {
                // Publish in batches until the broker reports drops: the backlog size is the broker's choice.
                while (broker.stats().dropped() == droppedBefore && published < 1_000_000) {
                    publishAll(events(list, published + 1, published + 1_000));
                    published += 1_000;
                }
                assertThat(broker.stats().dropped()).as("drops after %s events", published)
                        .isGreaterThan(droppedBefore);
            } finally {
                release.countDown();
            }
            int publishedInTotal = published;
            // Every event is either delivered or dropped, none twice; the fence then proves nothing more follows.
            Await.until(timeout(), () -> "delivered " + behind.count() + " + dropped "
                            + (broker.stats().dropped() - droppedBefore) + " = published " + publishedInTotal,
                    () -> behind.count() + broker.stats().dropped() - droppedBefore >= publishedInTotal);
            ListEvent fence = fence(list);
            publishAll(List.of(fence));
            behind.awaitEvent(fence::equals, timeout());

            long dropped = broker.stats().dropped() - droppedBefore;
            List<ListEvent> received = withoutFences(behind.events());
            assertThat(received.size() + dropped).isEqualTo(publishedInTotal);
            assertThat(received).extracting(ListEvent::version).isSorted().doesNotHaveDuplicates();
        }

        @Test
        @DisplayName("a listener that lost events to a full backlog is told how many, in order with its events")
        void overflowIsToldToTheListener() {
            String list = newListId();
            CountDownLatch release = new CountDownLatch(1);
            RecordingListener behind = new RecordingListener();
            java.util.concurrent.atomic.AtomicLong told = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong receivedWhenTold = new java.util.concurrent.atomic.AtomicLong(-1);
            broker.subscribe(list, new ListEventListener() {
                @Override
                public void onEvent(ListEvent event) {
                    awaitLatch(release);
                    behind.onEvent(event);
                }

                @Override
                public void onDropped(long count) {
                    receivedWhenTold.compareAndSet(-1, behind.count());
                    told.addAndGet(count);
                }
            });
            long droppedBefore = broker.stats().dropped();
            int published = 0;
            try {
                while (broker.stats().dropped() == droppedBefore && published < 1_000_000) {
                    publishAll(events(list, published + 1, published + 1_000));
                    published += 1_000;
                }
                assertThat(told.get()).as("told before the listener returned").isZero();
            } finally {
                release.countDown();
            }
            int publishedInTotal = published;
            Await.until(timeout(), () -> "delivered " + behind.count() + " + told " + told.get() + " = published "
                    + publishedInTotal, () -> behind.count() + told.get() >= publishedInTotal);
            ListEvent fence = fence(list);
            publishAll(List.of(fence));
            behind.awaitEvent(fence::equals, timeout());
            assertThat(told.get()).as("drops told to the listener").isEqualTo(broker.stats().dropped() - droppedBefore)
                    .isPositive();
            // told as soon as the listener returned, not only once the whole backlog was delivered
            assertThat(receivedWhenTold.get()).isLessThan(publishedInTotal - told.get());
        }

        @Test
        @DisplayName("listeners are called on broker threads, never the publisher's, one call at a time")
        void listenersRunOnBrokerThreadsWithoutOverlap() throws Exception {
            String list = newListId();
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);
            Set<Thread> publisherThreads = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();

            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                for (int p = 0; p < 4; p++) {
                    int publisher = p;
                    pool.submit(() -> {
                        publisherThreads.add(Thread.currentThread());
                        for (int i = 1; i <= 250; i++) {
                            sent.add(broker.publish(event(list, publisher * 1_000L + i)).toCompletableFuture());
                        }
                    });
                }
            }
            awaitAll(sent);
            listener.awaitCount(1_000, timeout());

            assertThat(listener.overlapped()).as("two calls overlapped").isFalse();
            assertThat(listener.threads()).doesNotContainAnyElementsOf(publisherThreads)
                    .doesNotContain(Thread.currentThread());
        }
    }

    @Nested
    @DisplayName("Scale")
    class Scale {

        @Test
        @DisplayName("10,000 lists with a subscriber each all receive their own events, and nothing stays behind")
        void tenThousandLists() throws Exception {
            int lists = 10_000;
            String prefix = newListId() + "-";
            AtomicInteger received = new AtomicInteger();
            AtomicInteger misrouted = new AtomicInteger();
            List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
            // Subscribes from 8 threads, as sockets opening at once would; a networked broker waits for each
            // confirmation, so this also keeps the test short.
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<Subscription>> subscribing = new ArrayList<>(lists);
                for (int i = 0; i < lists; i++) {
                    String listId = prefix + i;
                    subscribing.add(pool.submit(() -> broker.subscribe(listId, event -> {
                        if (!event.listId().equals(listId)) {
                            misrouted.incrementAndGet();
                        }
                        received.incrementAndGet();
                    })));
                }
                for (Future<Subscription> subscription : subscribing) {
                    subscriptions.add(subscription.get(timeout().toMillis(), TimeUnit.MILLISECONDS));
                }
            }
            assertThat(broker.stats().subscribedLists()).isEqualTo(lists);

            publishAll(IntStream.range(0, lists).mapToObj(i -> event(prefix + i, 1)).toList());

            Await.until(timeout(), () -> "10,000 events arrived (" + received + ")", () -> received.get() >= lists);
            subscriptions.forEach(Subscription::close);
            assertThat(misrouted).hasValue(0);
            assertThat(received).hasValue(lists);
            assertThat(broker.stats().subscriptions()).isZero();
            assertThat(broker.stats().subscribedLists()).isZero();
            assertNoRemoteSubscriptionsLeft();
        }

        @Test
        @DisplayName("subscribe and unsubscribe churn from many threads leaves no subscription behind")
        void churnLeavesNothingBehind() throws Exception {
            List<String> lists = IntStream.range(0, 20).mapToObj(i -> newListId()).toList();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    Random random = new Random(t);
                    runs.add(pool.submit(() -> {
                        for (int i = 0; i < 250; i++) {
                            String list = lists.get(random.nextInt(lists.size()));
                            Subscription subscription = broker.subscribe(list, event -> { });
                            if (i % 10 == 0) {
                                broker.publish(event(list, i)).toCompletableFuture().join();
                            }
                            subscription.close();
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
                }
            }

            assertThat(broker.stats().subscriptions()).isZero();
            assertThat(broker.stats().subscribedLists()).isZero();
            assertNoRemoteSubscriptionsLeft();

            // And the lists still work.
            RecordingListener listener = new RecordingListener();
            broker.subscribe(lists.getFirst(), listener);
            ListEvent event = event(lists.getFirst(), 1);
            publishAll(List.of(event));
            assertThat(listener.awaitCount(1, timeout()).events()).containsExactly(event);
        }
    }

    @Nested
    @DisplayName("State and lifecycle")
    class Lifecycle {

        @Test
        @DisplayName("a new broker is up and has a name")
        void newBrokerIsUp() {
            assertThat(broker.state()).isEqualTo(BrokerState.UP);
            assertThat(broker.name()).isNotBlank();
        }

        @Test
        @DisplayName("the counters count published and delivered events and open subscriptions")
        void statsCount() {
            String list = newListId();
            BrokerStats before = broker.stats();
            RecordingListener one = new RecordingListener();
            RecordingListener two = new RecordingListener();
            broker.subscribe(list, one);
            broker.subscribe(list, two);

            publishAll(events(list, 1, 10));
            one.awaitCount(10, timeout());
            two.awaitCount(10, timeout());

            Await.until(timeout(), () -> "20 deliveries are counted: " + broker.stats(),
                    () -> broker.stats().delivered() - before.delivered() == 20);
            BrokerStats after = broker.stats();
            assertThat(after.published() - before.published()).isEqualTo(10);
            assertThat(after.publishFailures()).isEqualTo(before.publishFailures());
            assertThat(after.dropped()).isEqualTo(before.dropped());
            assertThat(after.subscriptions()).isEqualTo(2);
            assertThat(after.subscribedLists()).isEqualTo(1);
        }

        @Test
        @DisplayName("after close, publishing fails, subscribing throws, and closing again is harmless")
        void closedBrokerRefusesWork() {
            String list = newListId();
            RecordingListener listener = new RecordingListener();
            broker.subscribe(list, listener);

            broker.close();
            broker.close();

            assertThat(broker.publish(event(list, 1)).toCompletableFuture()).failsWithin(timeout());
            assertThatThrownBy(() -> broker.subscribe(list, event -> { }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(broker.stats().subscriptions()).isZero();
            assertThat(listener.count()).isZero();
        }

        @Test
        @DisplayName("close ends the threads the broker started, interrupting a listener that is still running")
        void closeReleasesThreads() {
            Set<Thread> before = livePlatformThreads();
            ListEventBroker another = createBroker();
            CountDownLatch never = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            AtomicReference<Thread> listenerThread = new AtomicReference<>();
            try {
                String list = newListId();
                another.subscribe(list, event -> {
                    listenerThread.set(Thread.currentThread());
                    running.countDown();
                    awaitLatch(never);
                });
                another.publish(event(list, 1)).toCompletableFuture().join();
                assertThat(awaitQuietly(running)).as("the listener started").isTrue();

                another.close();

                Await.until(timeout(), "the running listener's thread ended", () -> !listenerThread.get().isAlive());
                Await.until(timeout(), () -> "every thread the broker started ended; alive: " + threadsSince(before),
                        () -> threadsSince(before).isEmpty());
                assertThat(another.stats().subscriptions()).isZero();
            } finally {
                never.countDown();
                another.close();
            }
        }
    }

    // --- helpers, protected so that a broker's own extra tests can use them ----------------------------------------

    /** A list id no other test or run uses. */
    protected static String newListId() {
        return "kit-" + UUID.randomUUID();
    }

    /** An event with a small, realistic payload. */
    protected static ListEvent event(String listId, long version) {
        return new ListEvent(listId, "item_created", version,
                "{\"type\":\"item_created\",\"listId\":\"" + listId + "\",\"version\":" + version + "}");
    }

    /** Events with versions {@code from} to {@code to}, inclusive. */
    protected static List<ListEvent> events(String listId, long from, long to) {
        List<ListEvent> events = new ArrayList<>();
        for (long version = from; version <= to; version++) {
            events.add(event(listId, version));
        }
        return events;
    }

    /** Publishes in order and waits until the broker accepted every event. */
    protected void publishAll(List<ListEvent> events) {
        List<CompletableFuture<Void>> sent = new ArrayList<>(events.size());
        for (ListEvent event : events) {
            sent.add(broker.publish(event).toCompletableFuture());
        }
        awaitAll(sent);
    }

    /** Publishes a marker event and waits until every listener received it. */
    protected void publishFenceAndAwait(String listId, List<RecordingListener> listeners) {
        ListEvent fence = fence(listId);
        publishAll(List.of(fence));
        listeners.forEach(listener -> listener.awaitEvent(fence::equals, timeout()));
    }

    protected static ListEvent fence(String listId) {
        return new ListEvent(listId, "kit_fence", 0, UUID.randomUUID().toString());
    }

    protected static List<ListEvent> withoutFences(List<ListEvent> events) {
        return events.stream().filter(event -> !event.type().equals("kit_fence")).toList();
    }

    protected void awaitAll(List<CompletableFuture<Void>> futures) {
        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)))
                .as("%s publishes were accepted", futures.size())
                .succeedsWithin(timeout());
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the broker is closing: return promptly
        }
    }

    private boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Set<Thread> livePlatformThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isVirtual() && t.isAlive())
                .collect(Collectors.toSet());
    }

    private List<String> threadsSince(Set<Thread> before) {
        return livePlatformThreads().stream().filter(t -> !before.contains(t) && !isSharedThread(t))
                .map(Thread::getName).sorted().toList();
    }

}
