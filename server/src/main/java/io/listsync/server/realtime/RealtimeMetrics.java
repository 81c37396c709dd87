package io.listsync.server.realtime;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The real-time side's meters, on Helidon's registry ({@code /observe/metrics}).
 */
final class RealtimeMetrics {

    private final MeterRegistry registry = Metrics.globalRegistry();
    private final Counter eventsPublished;
    private final Counter eventsReceived;
    private final Counter framesQueued;
    private final Counter resyncs;
    private final Counter gapRepairs;
    private final Timer deliveryLatency;
    private final ConcurrentHashMap<Integer, Counter> closes = new ConcurrentHashMap<>();

    RealtimeMetrics(Supplier<Number> openSockets, Supplier<Number> subscribedLists) {
        registry.getOrCreate(Gauge.builder("listsync.sockets.open", openSockets)
                .description("Open WebSocket connections on this instance"));
        registry.getOrCreate(Gauge.builder("listsync.lists.subscribed", subscribedLists)
                .description("Lists this instance holds a broker subscription for"));
        eventsPublished = registry.getOrCreate(Counter.builder("listsync.events.published")
                .description("Committed change events handed to the broker"));
        eventsReceived = registry.getOrCreate(Counter.builder("listsync.events.received")
                .description("Change events received from the broker and fanned out in order"));
        framesQueued = registry.getOrCreate(Counter.builder("listsync.frames.delivered")
                .description("Event frames queued to sockets"));
        resyncs = registry.getOrCreate(Counter.builder("listsync.resyncs")
                .description("resync messages sent instead of events"));
        gapRepairs = registry.getOrCreate(Counter.builder("listsync.gap.repairs")
                .description("Out-of-order or missed events filled from the event log"));
        deliveryLatency = registry.getOrCreate(Timer.builder("listsync.delivery.latency")
                .description("From an event's publication to its fan-out on this instance")
                .percentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram(true));
    }

    void published() {
        eventsPublished.increment();
    }

    void received(Duration sincePublished) {
        eventsReceived.increment();
        if (!sincePublished.isNegative()) {
            deliveryLatency.record(sincePublished);
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

    void closed(int code) {
        closes.computeIfAbsent(code, c -> registry.getOrCreate(Counter.builder("listsync.sockets.closed")
                .tags(List.of(Tag.create("code", Integer.toString(c))))
                .description("Sockets closed by the server, by close code"))).increment();
    }
}
