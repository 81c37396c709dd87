package io.listsync.server.realtime;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.listsync.broker.BrokerStats;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The real-time side's meters, on the server's own registry (served at {@code /observe/metrics}), including the
 * broker's counters: what it dropped, how often it re-subscribed or found itself deaf, what it failed to publish.
 *
 * <p>Helidon's registries share one store per JVM: a meter registered by a second instance in the same process (an
 * embedder's, a test's) is the first one's. So the gauges and the broker's counters add up every live instance of
 * the JVM (and, for the counters, what closed ones had counted, so they never go down) rather than showing only
 * whichever instance registered first.
 */
final class RealtimeMetrics implements AutoCloseable {

    private static final List<RealtimeMetrics> LIVE = new CopyOnWriteArrayList<>();
    private static final ConcurrentHashMap<String, LongAdder> RETIRED =
            new ConcurrentHashMap<>();
    private static final List<Map.Entry<String, Function<BrokerStats, Long>>> BROKER_COUNTERS = List.of(
            Map.entry("listsync.broker.dropped", BrokerStats::dropped),
            Map.entry("listsync.broker.resubscriptions", BrokerStats::resubscriptions),
            Map.entry("listsync.broker.heartbeat.misses", BrokerStats::heartbeatMisses),
            Map.entry("listsync.broker.publish.failures", BrokerStats::publishFailures),
            Map.entry("listsync.broker.listener.failures", BrokerStats::listenerFailures));

    private final ListEventBroker broker;
    private final Supplier<Number> openSockets;
    private final Supplier<Number> subscribedLists;

    private final Counter eventsReceived;
    private final Counter framesQueued;
    private final Counter resyncs;
    private final Counter gapRepairs;
    private final Counter channelRechecks;
    private final Timer deliveryLatency;
    /** By close code, all registered up front (see {@link #closed}). */
    private final Map<Integer, Counter> closes;

    RealtimeMetrics(MeterRegistry registry, ListEventBroker broker, Supplier<Number> openSockets,
                    Supplier<Number> subscribedLists) {
        this.broker = broker;
        this.openSockets = openSockets;
        this.subscribedLists = subscribedLists;
        LIVE.add(this);
        registry.getOrCreate(Gauge.builder("listsync.sockets.open",
                        () -> LIVE.stream().mapToLong(m -> m.openSockets.get().longValue()).sum())
                .description("Open WebSocket connections on this instance"));
        registry.getOrCreate(Gauge.builder("listsync.lists.subscribed",
                        () -> LIVE.stream().mapToLong(m -> m.subscribedLists.get().longValue()).sum())
                .description("Lists this instance holds a broker subscription for"));
        eventsReceived = registry.getOrCreate(Counter.builder("listsync.events.received")
                .description("Change events received from the broker and fanned out in order"));
        framesQueued = registry.getOrCreate(Counter.builder("listsync.frames.delivered")
                .description("Event frames queued to sockets"));
        resyncs = registry.getOrCreate(Counter.builder("listsync.resyncs")
                .description("resync messages sent instead of events"));
        gapRepairs = registry.getOrCreate(Counter.builder("listsync.gap.repairs")
                .description("Out-of-order or missed events filled from the event log"));
        channelRechecks = registry.getOrCreate(Counter.builder("listsync.channels.rechecks")
                .description("Times a list's channel re-read its members and version after the broker dropped "
                        + "events for it"));
        deliveryLatency = registry.getOrCreate(Timer.builder("listsync.delivery.latency")
                .description("From an event's commit to its fan-out on this instance")
                .percentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram(true));
        List<String> descriptions = List.of(
                "Events the broker dropped for a subscription whose backlog was full (or could not read)",
                "Times the broker re-subscribed its channels after losing them",
                "Times the broker's own heartbeat did not come back although its connection seemed up",
                "Publish calls the broker could not complete (the relay republishes from the event log)",
                "Listener calls that threw");
        for (int i = 0; i < BROKER_COUNTERS.size(); i++) {
            Map.Entry<String, Function<BrokerStats, Long>> counter = BROKER_COUNTERS.get(i);
            brokerCounter(registry, counter.getKey(), counter.getValue(), descriptions.get(i));
        }
        closes = CloseCodes.ALL.stream().collect(Collectors.toUnmodifiableMap(code -> code,
                code -> registry.getOrCreate(Counter.builder("listsync.sockets.closed")
                        .tags(List.of(Tag.create("code", Integer.toString(code))))
                        .description("Sockets closed by the server, by close code"))));
    }

    private static void brokerCounter(MeterRegistry registry, String name, Function<BrokerStats, Long> value,
                                      String description) {
        registry.getOrCreate(FunctionalCounter.builder(name, RETIRED,
                        retired -> retired.computeIfAbsent(name, n -> new LongAdder()).sum()
                                + LIVE.stream().mapToLong(m -> value.apply(m.broker.stats())).sum())
                .description(description));
    }

    /** This instance is gone: its broker's counts stay in the totals, its gauges leave them. */
    @Override
    public void close() {
        if (LIVE.remove(this)) {
            BrokerStats last = broker.stats();
            BROKER_COUNTERS.forEach(c -> RETIRED.computeIfAbsent(c.getKey(),
                    n -> new LongAdder()).add(c.getValue().apply(last)));
        }
    }

    void received(ListEvent event) {
        eventsReceived.increment();
        Instant committed = CommitTime.of(event.payload());
        if (committed != null) {
            Duration latency = Duration.between(committed, Instant.now());
            if (!latency.isNegative()) {
                deliveryLatency.record(latency);
            }
        }
    }

    void framesQueued(int count) {
        framesQueued.increment(count);
    }

    void resync() {
        resyncs.increment();
    }

    void gapRepair() {
        gapRepairs.increment();
    }

    void channelRecheck() {
        channelRechecks.increment();
    }

    /**
     * Counts a close. Its counter was registered with the others: creating a meter here, while sockets close as the
     * server stops, deadlocked with Helidon removing its own meters (Helidon's registry lock and Micrometer's taken
     * in opposite orders; the server's stop hung for good).
     */
    void closed(int code) {
        Counter counter = closes.get(code);
        if (counter != null) {
            counter.increment();
        }
    }
}
