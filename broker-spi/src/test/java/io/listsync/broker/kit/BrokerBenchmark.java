package io.listsync.broker.kit;

import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Measures a broker from publish call to listener call, with one listener subscribed per list and one publisher
 * cycling through the lists, at 1, 100 and 10,000 subscribed lists. Two phases per list count:
 *
 * <ul>
 *     <li><b>throughput:</b> publish as fast as delivery keeps up, with at most {@value #WINDOW} events published
 *     but not yet delivered (below any backlog, so nothing is dropped), for {@link #MEASURE};</li>
 *     <li><b>latency:</b> publish at a steady {@value #PACED_RATE} events/s for {@link #MEASURE} and report the
 *     publish-to-listener latency percentiles, which is what a user waits for under ordinary load.</li>
 * </ul>
 *
 * Each phase is preceded by a discarded warm-up. A plain {@code main}-driven harness so that any broker, including a
 * third party's, can be measured the same way: {@code BrokerBenchmark.run("mine", MyBroker::new, System.out)}.
 */
public final class BrokerBenchmark {

    private static final int[] LIST_COUNTS = {1, 100, 10_000};
    private static final int WINDOW = 512;
    private static final int PACED_RATE = 10_000;
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Duration MEASURE = Duration.ofSeconds(4);
    /** Latency samples kept per phase; enough for several million events a second over the phase. */
    private static final int MAX_SAMPLES = 4_000_000;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final ListEventBroker broker;
    private final int lists;
    private final String payload = "{\"type\":\"item_updated\",\"data\":{\"name\":\"" + "x".repeat(160) + "\"}}";

    private BrokerBenchmark(ListEventBroker broker, int lists) {
        this.broker = broker;
        this.lists = lists;
    }

    /** One row of the report. */
    public record Result(String broker, int lists, double eventsPerSecond, double pacedRate, long p50Micros,
                         long p99Micros, long p999Micros, long dropped) {
    }

    /** Runs every list count against fresh brokers from {@code brokers} and prints a table. */
    public static List<Result> run(String title, Supplier<ListEventBroker> brokers, PrintStream out) {
        out.printf(Locale.ROOT, "Broker benchmark: %s; %d cores, %s %s, Java %s, load average %.2f%n", title,
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.version(), loadAverage());
        out.printf("%-24s %7s %16s %14s %10s %10s %10s %8s%n", "broker", "lists", "throughput ev/s",
                "paced ev/s", "p50 us", "p99 us", "p99.9 us", "dropped");
        List<Result> results = new ArrayList<>();
        for (int lists : LIST_COUNTS) {
            try (ListEventBroker broker = brokers.get()) {
                Result result = new BrokerBenchmark(broker, lists).measure(title);
                results.add(result);
                out.printf(Locale.ROOT, "%-24s %7d %16.0f %14.0f %10d %10d %10d %8d%n", result.broker(),
                        result.lists(), result.eventsPerSecond(), result.pacedRate(), result.p50Micros(),
                        result.p99Micros(), result.p999Micros(), result.dropped());
            }
        }
        out.printf(Locale.ROOT, "(load average at the end %.2f; other processes on the machine show in the tail"
                + " latencies)%n", loadAverage());
        return results;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private Result measure(String title) {
        Phase phase = new Phase();
        String[] listIds = new String[lists];
        for (int i = 0; i < lists; i++) {
            listIds[i] = "bench-" + i;
            broker.subscribe(listIds[i], phase::received);
        }
        phase.run(listIds, WARM_UP, 0);
        double throughput = phase.run(listIds, MEASURE, 0);
        phase.run(listIds, WARM_UP, PACED_RATE);
        double paced = phase.run(listIds, MEASURE, PACED_RATE);
        long[] latencies = phase.sortedLatencies();
        return new Result(title, lists, throughput, paced, percentile(latencies, 0.50), percentile(latencies, 0.99),
                percentile(latencies, 0.999), broker.stats().dropped());
    }

    private static long percentile(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return -1;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1_000;
    }

    /** Timed runs, one at a time: publish, bound the events in flight, record latencies of the last run. */
    private final class Phase {
        private final AtomicLongArray sentAt = new AtomicLongArray(MAX_SAMPLES);
        private final long[] latencies = new long[MAX_SAMPLES];
        private final AtomicInteger samples = new AtomicInteger();
        private final LongAdder delivered = new LongAdder();
        private final AtomicLong sequence = new AtomicLong();
        private final LongAdder failures = new LongAdder();
        private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

        void received(ListEvent event) {
            long now = System.nanoTime();
            int seq = (int) event.version();
            if (seq >= 0 && seq < MAX_SAMPLES) {
                int slot = samples.getAndIncrement();
                if (slot < MAX_SAMPLES) {
                    latencies[slot] = now - sentAt.get(seq);
                }
            }
            delivered.increment();
        }


        /**
         * @param rate events per second, or {@code 0} for as fast as the window allows
         * @return events delivered per second
         */
        double run(String[] listIds, Duration duration, int rate) {
            samples.set(0);
            delivered.reset();
            sequence.set(0);
            long published = 0;
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
            while (System.nanoTime() < end && published < MAX_SAMPLES - 1) {
                if (rate == 0) {
                    while (published - delivered.sum() >= WINDOW) {
                        // Parks rather than spins: on a small machine a spinning publisher steals the CPU that
                        // delivery needs.
                        LockSupport.parkNanos(20_000);
                    }
                } else {
                    long due = start + published * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                int seq = (int) sequence.getAndIncrement();
                sentAt.set(seq, System.nanoTime());
                broker.publish(new ListEvent(listIds[seq % listIds.length], "item_updated", seq, payload))
                        .whenComplete((ok, failure) -> {
                            if (failure != null) {
                                failures.increment();
                                firstFailure.compareAndSet(null, failure);
                            }
                        });
                published++;
            }
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (delivered.sum() + broker.stats().dropped() < published && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
            long elapsed = System.nanoTime() - start;
            if (failures.sum() > 0) {
                throw new IllegalStateException(failures.sum() + " publishes failed", firstFailure.get());
            }
            return delivered.sum() * 1e9 / elapsed;
        }

        long[] sortedLatencies() {
            long[] copy = Arrays.copyOf(latencies, Math.min(samples.get(), MAX_SAMPLES));
            Arrays.sort(copy);
            return copy;
        }
    }
}
