package io.listsync.server.bench;

import io.listsync.server.support.ChildServer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What durable commits cost on embedded H2: the same write load against a server whose H2 writes each commit to its
 * file before answering ({@code WRITE_DELAY=0}, the default now) and one that writes from a background thread every
 * 500 ms (H2's own default, which loses acknowledged writes on a crash). Each configuration runs in its own child
 * process; writers create items on their own lists for a fixed time. Prints writes/s, latency and the file size.
 *
 * <pre>mvn -B -q -pl server -am -Pbench -DskipTests -DskipWeb -Dbench.main=io.listsync.server.bench.DurabilityCost \
 *     -Dbench.args="seconds=15 writers=1,8,32"</pre>
 */
public final class DurabilityCost {

    private DurabilityCost() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                options.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        List<Integer> writerCounts = new ArrayList<>();
        for (String n : options.getOrDefault("writers", "1,8,32").split(",")) {
            writerCounts.add(Integer.parseInt(n.trim()));
        }
        List<String> delays = List.of(options.getOrDefault("delays", "0,500").split(","));
        String h2Options = options.getOrDefault("h2Options", "");
        int repeats = Integer.parseInt(options.getOrDefault("repeats", "1"));
        if (options.containsKey("engine")) {
            engine(Integer.parseInt(options.get("engine")), repeats);
            return;
        }
        System.out.printf("%-24s %8s %12s %10s %10s %10s %12s %14s%n",
                "H2", "writers", "writes/s", "p50 ms", "p99 ms", "max ms", "file MiB", "after restart");
        for (int writers : writerCounts) {
            for (int r = 0; r < repeats; r++) {
                // interleaved, so both settings see the same background load
                for (String delay : delays) {
                    run(delay.trim(), h2Options, writers, seconds);
                }
            }
        }
    }

    private static void run(String writeDelay, String h2Options, int writers, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("listsync-durability-cost");
        String url = "jdbc:h2:file:" + dir.resolve("listsync") + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";WRITE_DELAY=" + writeDelay + h2Options;
        ChildServer server = ChildServer.builder("durability-" + writeDelay)
                .setting("db.connection.url", url).jvmArg("-XX:TieredStopAtLevel=4").build();
        try (server) {
            server.start();
            Rest rest = new Rest();
            String base = server.baseUri();
            List<Rest.User> users = new ArrayList<>();
            List<String> lists = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Rest.User user = rest.register(base, "writer" + w + "-" + System.nanoTime() + "@example.com");
                users.add(user);
                lists.add(rest.createList(base, user, "list " + w));
            }
            // warm-up, then the measured run
            load(rest, base, users, lists, 3, new ConcurrentHistogram(3));
            Histogram latency = new ConcurrentHistogram(3);
            long writes = load(rest, base, users, lists, seconds, latency);
            long bytes = Files.size(dir.resolve("listsync.mv.db"));
            server.stop();
            server.start();
            long restarted = Files.size(dir.resolve("listsync.mv.db"));
            System.out.printf("%-24s %8d %12.0f %10.2f %10.2f %10.2f %12.1f %14.1f%n",
                    "WRITE_DELAY=" + writeDelay + (writeDelay.equals("0") ? " (now)" : " (before)"), writers,
                    writes / (double) seconds, latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0,
                    bytes / 1024.0 / 1024.0, restarted / 1024.0 / 1024.0);
        }
    }

    /**
     * The engine alone, without HTTP: {@code transactions} sequential transactions on an H2 file database, each
     * inserting an item-like row and bumping a counter row (what a change does), at each write delay, interleaved.
     */
    private static void engine(int transactions, int repeats) throws Exception {
        System.out.printf("%-24s %12s %12s %12s%n", "H2 engine", "commits/s", "p50 µs", "p99 µs");
        for (int r = 0; r < repeats; r++) {
            for (String delay : List.of("0", "500")) {
                Path dir = Files.createTempDirectory("listsync-engine-cost");
                String url = "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=" + delay;
                Histogram latency = new Histogram(3);
                long start;
                long elapsed;
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
                    try (java.sql.Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE lists (id INT PRIMARY KEY, version BIGINT)");
                        s.execute("INSERT INTO lists VALUES (1, 0)");
                        s.execute("CREATE TABLE items (id VARCHAR(36) PRIMARY KEY, list_id INT, name VARCHAR(400), "
                                + "position INT)");
                        s.execute("CREATE INDEX ix_items_list ON items (list_id, position)");
                    }
                    c.setAutoCommit(false);
                    try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO items VALUES (?, 1, ?, ?)");
                         java.sql.PreparedStatement bump = c.prepareStatement(
                                 "UPDATE lists SET version = version + 1 WHERE id = 1")) {
                        start = System.nanoTime();
                        for (int n = 0; n < transactions; n++) {
                            long t = System.nanoTime();
                            insert.setString(1, java.util.UUID.randomUUID().toString());
                            insert.setString(2, "item " + n);
                            insert.setInt(3, n);
                            insert.executeUpdate();
                            bump.executeUpdate();
                            c.commit();
                            latency.recordValue((System.nanoTime() - t) / 1000);
                        }
                        elapsed = System.nanoTime() - start;
                    }
                }
                System.out.printf("%-24s %12.0f %12d %12d%n", "WRITE_DELAY=" + delay,
                        transactions / (elapsed / 1e9), latency.getValueAtPercentile(50),
                        latency.getValueAtPercentile(99));
            }
        }
    }

    /** Every writer creates items on its own list, one request at a time, for {@code seconds}. */
    private static long load(Rest rest, String base, List<Rest.User> users, List<String> lists, int seconds,
                             Histogram latency) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong writes = new AtomicLong();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < users.size(); w++) {
                Rest.User user = users.get(w);
                String url = base + "/api/v1/lists/" + lists.get(w) + "/items";
                running.add(pool.submit(() -> {
                    for (int n = 0; System.nanoTime() < end; n++) {
                        long start = System.nanoTime();
                        rest.expect("POST", url, user.token(), Map.of("name", "item " + n));
                        latency.recordValue((System.nanoTime() - start) / 1000);
                        writes.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return writes.get();
    }
}
