package io.listsync.server.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The ListSync load benchmark. Starts N server instances as child processes (or uses running ones), creates users
 * and lists through the REST API, opens C WebSockets across L lists, drives R mutations per second through REST
 * for T seconds, and prints delivery latency, loss, REST latency, server CPU and memory, and its own CPU.
 *
 * <pre>
 * mvn -B -q -pl server -Pbench -Dbench.scenario=quick      # after: mvn -B -DskipWeb -DskipTests package
 * </pre>
 *
 * Scenarios: quick, issue4 (1,000 sockets / 100 lists: one instance in-memory, then two over Redis + PostgreSQL),
 * many-lists, crowded, idle, overhead, overhead-idempotency, curve, all; or custom with the individual parameters
 * (idempotency=off|on|alternate sends an Idempotency-Key with no, every or every other mutation). Every parameter is a
 * system property {@code bench.<name>} or an argument {@code name=value}; see {@link Config}.
 */
public final class Bench {

    private static final Path OUT = Path.of(System.getProperty("bench.out", "target/bench"));

    private Bench() {
    }

    /** One run's parameters. */
    record Config(String name, int instances, String broker, String db, int sockets, int lists, double rate,
                  int seconds, int warmup, int members, int users, String serverXmx, String serverOpts,
                  String pingInterval, String targets, String jar, String idempotency) {

        Config with(Map<String, String> p) {
            return new Config(p.getOrDefault("name", name),
                    Integer.parseInt(p.getOrDefault("instances", Integer.toString(instances))),
                    p.getOrDefault("broker", broker),
                    p.getOrDefault("db", db),
                    Integer.parseInt(p.getOrDefault("sockets", Integer.toString(sockets))),
                    Integer.parseInt(p.getOrDefault("lists", Integer.toString(lists))),
                    Double.parseDouble(p.getOrDefault("rate", Double.toString(rate))),
                    Integer.parseInt(p.getOrDefault("seconds", Integer.toString(seconds))),
                    Integer.parseInt(p.getOrDefault("warmup", Integer.toString(warmup))),
                    Integer.parseInt(p.getOrDefault("members", Integer.toString(members))),
                    Integer.parseInt(p.getOrDefault("users", Integer.toString(users))),
                    p.getOrDefault("serverXmx", serverXmx),
                    p.getOrDefault("serverOpts", serverOpts),
                    p.getOrDefault("pingInterval", pingInterval),
                    p.getOrDefault("targets", targets),
                    p.getOrDefault("jar", jar),
                    p.getOrDefault("idempotency", idempotency));
        }

        String describe() {
            return String.format(Locale.ROOT, "%d instance(s), broker %s, db %s, %d sockets / %d lists, %.0f mutations/s"
                            + " × %d s (+%d s warm-up), server JVM -Xmx%s %s, Idempotency-Key %s", instances, broker, db,
                    sockets, lists, rate, seconds, warmup, serverXmx, serverOpts, idempotency);
        }
    }

    static final Config BASE = new Config("custom", 1, "inmemory", "h2", 1000, 100, 100, 30, 5, 3, 200, "1g",
            "", "PT30S", "", "target/listsync.jar", "off");

    static List<Config> scenario(String name, Map<String, String> overrides) {
        List<Config> runs = new ArrayList<>();
        switch (name) {
            case "quick" -> runs.add(BASE.with(Map.of("name", "quick", "sockets", "200", "lists", "20",
                    "rate", "50", "seconds", "20", "warmup", "3", "users", "40")));
            case "issue4" -> {
                runs.add(BASE.with(Map.of("name", "issue4-one-instance", "sockets", "1000", "lists", "100",
                        "rate", "100", "seconds", "60")));
                runs.add(BASE.with(Map.of("name", "issue4-two-instances-redis", "instances", "2",
                        "broker", "redis", "db", "postgres", "sockets", "1000", "lists", "100",
                        "rate", "100", "seconds", "60")));
            }
            case "many-lists" -> runs.add(BASE.with(Map.of("name", "s1-many-lists", "instances", "2",
                    "broker", "redis", "db", "postgres", "sockets", "10000", "lists", "5000", "rate", "200",
                    "seconds", "60", "members", "2", "users", "500")));
            case "crowded" -> runs.add(BASE.with(Map.of("name", "s2-crowded", "sockets", "2000", "lists", "1",
                    "rate", "50", "seconds", "60", "members", "20", "users", "20")));
            case "idle" -> runs.add(BASE.with(Map.of("name", "s3-idle", "sockets", "19500", "lists", "1950",
                    "rate", "0", "seconds", "30", "warmup", "0", "pingInterval", "PT5S", "members", "2",
                    "users", "500")));
            case "overhead" -> {
                runs.add(BASE.with(Map.of("name", "s4-publishing-on", "sockets", "100", "lists", "10",
                        "rate", "50", "seconds", "60", "db", "postgres")));
                runs.add(BASE.with(Map.of("name", "s4-publishing-off", "sockets", "0", "lists", "10",
                        "rate", "50", "seconds", "60", "db", "postgres", "broker", "bench-noop")));
            }
            case "overhead-idempotency" -> {
                // as s4: the cost of remembering Idempotency-Key, two runs (all keyed / none), then both kinds
                // interleaved on one server, where the box's noise hits them alike
                Map<String, String> s4 = Map.of("sockets", "100", "lists", "10", "rate", "50", "seconds", "60",
                        "db", "postgres");
                for (String mode : List.of("off", "on", "alternate")) {
                    Map<String, String> p = new LinkedHashMap<>(s4);
                    p.put("name", "s5-keys-" + mode);
                    p.put("idempotency", mode);
                    runs.add(BASE.with(p));
                }
                runs.add(BASE.with(Map.of("name", "s5-keys-alternate-h2", "sockets", "100", "lists", "10",
                        "rate", "50", "seconds", "60", "idempotency", "alternate")));
            }
            case "curve" -> {
                for (int c : new int[] {1000, 5000, 10000, 19500}) {
                    runs.add(BASE.with(Map.of("name", "curve-" + c, "sockets", Integer.toString(c),
                            "lists", Integer.toString(c / 10), "rate", "100", "seconds", "30", "members", "2",
                            "users", "500")));
                }
            }
            case "all" -> {
                for (String s : List.of("issue4", "crowded", "many-lists", "idle", "overhead", "curve")) {
                    runs.addAll(scenario(s, Map.of()));
                }
            }
            case "custom" -> runs.add(BASE);
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        }
        return runs.stream().map(c -> c.with(overrides)).toList();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith("bench.") && !v.toString().isBlank()) {
                p.put(key.substring(6), v.toString());
            }
        });
        for (String a : args) {
            for (String kv : a.trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    String key = kv.substring(0, eq).replaceFirst("^bench\\.", "");
                    p.put(key, kv.substring(eq + 1));
                    System.setProperty("bench." + key, kv.substring(eq + 1));
                }
            }
        }
        String scenario = p.getOrDefault("scenario", "quick");
        if (scenario.equals("chart")) {
            Chart.fromCsv(OUT.resolve("results.csv"), OUT.resolve("curve.png"));
            return;
        }
        p.remove("scenario");
        p.remove("out");
        p.remove("histogram");
        p.remove("maxMinutes");
        List<Config> runs = scenario(scenario, p);
        Files.createDirectories(OUT);
        List<Result> results = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(Long.parseLong(p.getOrDefault("maxMinutes",
                "90")));
        for (Config c : runs) {
            if (System.nanoTime() > deadline) {
                System.out.println("time budget used up; skipping " + c.name());
                continue;
            }
            try {
                Result r = new Run(c).execute();
                results.add(r);
                r.appendCsv(OUT.resolve("results.csv"));
            } catch (Exception e) {
                System.out.println("RUN " + c.name() + " FAILED: " + e);
                e.printStackTrace(System.out);
            }
        }
        if (results.stream().filter(r -> r.config.name().startsWith("curve-")).count() >= 2) {
            Chart.write(results.stream().filter(r -> r.config.name().startsWith("curve-")).toList(),
                    OUT.resolve("curve.png"));
        }
        System.out.println();
        System.out.println("Summary (" + OUT.toAbsolutePath().resolve("results.csv") + ")");
        System.out.println(Result.tableHeader());
        results.forEach(r -> System.out.println(r.tableRow()));
        System.exit(0);
    }

    /** What one run measured. */
    static final class Result {
        Config config;
        String loadBefore;
        String loadAfter;
        Histogram fromStart;
        Histogram fromTs;
        Histogram fromAnswer;
        Histogram rest;
        long mutations;
        long restErrors;
        long skipped;
        long expected;
        long delivered;
        long duplicates;
        long outOfOrder;
        long resyncs;
        long closedSockets;
        long socketsOpen;
        long socketsFailed;
        long minPings = -1;
        double serverCpuPct;
        long serverRssKib;
        double bytesPerSocketRss;
        double bytesPerSocketHeap;
        double generatorCpuPct;
        double cpuPressurePct;
        double setupSeconds;
        double connectSeconds;

        static String tableHeader() {
            return "| run | sockets | lists | inst | mut/s | deliv p50 | p95 | p99 | max | ts→frame p99 | answer→frame p99 | REST p50 | REST p99 "
                    + "| errors | expected | lost | dup | ooo | resync | server CPU | server RSS | RSS/socket | heap/socket | gen CPU | load | CPU pressure |";
        }

        String tableRow() {
            return String.format(Locale.ROOT, "| %s | %d | %d | %d | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %d | %d | %d "
                            + "| %d | %.0f%% | %d MiB | %s | %s | %.0f%% | %s | %.0f%% |",
                    config.name(), socketsOpen, config.lists(), config.instances(), config.rate(),
                    ms(fromStart, 50), ms(fromStart, 95), ms(fromStart, 99), ms(fromStart, 100), ms(fromTs, 99),
                    ms(fromAnswer, 99), ms(rest, 50), ms(rest, 99), restErrors + skipped, expected, expected - delivered, duplicates,
                    outOfOrder, resyncs, serverCpuPct, serverRssKib / 1024, kib(bytesPerSocketRss),
                    kib(bytesPerSocketHeap), generatorCpuPct, loadBefore.split(" ")[0] + "→" + loadAfter.split(" ")[0], cpuPressurePct);
        }

        static String kib(double bytes) {
            return Double.isNaN(bytes) ? "–" : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024);
        }

        static String ms(Histogram h, double percentile) {
            if (h.getTotalCount() == 0) {
                return "–";
            }
            long us = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
            return String.format(Locale.ROOT, "%.1f ms", us / 1000.0);
        }

        static double msValue(Histogram h, double percentile) {
            if (h.getTotalCount() == 0) {
                return Double.NaN;
            }
            return (percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile)) / 1000.0;
        }

        void appendCsv(Path file) throws IOException {
            boolean header = !Files.exists(file);
            StringBuilder sb = new StringBuilder();
            if (header) {
                sb.append("time,run,instances,broker,db,sockets,lists,rate,seconds,server_opts,"
                        + "deliv_p50_ms,deliv_p95_ms,deliv_p99_ms,deliv_max_ms,ts_p50_ms,ts_p99_ms,ts_max_ms,"
                        + "after_answer_p50_ms,after_answer_p99_ms,"
                        + "rest_p50_ms,rest_p99_ms,mutations,rest_errors,skipped,expected,delivered,lost,duplicates,"
                        + "out_of_order,resyncs,closed_sockets,sockets_failed,min_pings,server_cpu_pct,server_rss_kib,"
                        + "rss_bytes_per_socket,heap_bytes_per_socket,generator_cpu_pct,load_before,load_after,cpu_pressure_pct\n");
            }
            sb.append(String.join(",", Instant.now().toString(), config.name(),
                    Integer.toString(config.instances()), config.broker(), config.db(), Long.toString(socketsOpen),
                    Integer.toString(config.lists()), Double.toString(config.rate()),
                    Integer.toString(config.seconds()), "\"" + ("-Xmx" + config.serverXmx() + " "
                            + config.serverOpts()).trim() + "\"",
                    d(msValue(fromStart, 50)), d(msValue(fromStart, 95)), d(msValue(fromStart, 99)),
                    d(msValue(fromStart, 100)), d(msValue(fromTs, 50)), d(msValue(fromTs, 99)),
                    d(msValue(fromTs, 100)), d(msValue(fromAnswer, 50)), d(msValue(fromAnswer, 99)),
                    d(msValue(rest, 50)), d(msValue(rest, 99)), Long.toString(mutations),
                    Long.toString(restErrors), Long.toString(skipped), Long.toString(expected),
                    Long.toString(delivered), Long.toString(expected - delivered), Long.toString(duplicates),
                    Long.toString(outOfOrder), Long.toString(resyncs), Long.toString(closedSockets),
                    Long.toString(socketsFailed), Long.toString(minPings), d(serverCpuPct),
                    Long.toString(serverRssKib), d(bytesPerSocketRss), d(bytesPerSocketHeap), d(generatorCpuPct),
                    "\"" + loadBefore + "\"", "\"" + loadAfter + "\"", d(cpuPressurePct))).append('\n');
            Files.writeString(file, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        private static String d(double v) {
            return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
        }
    }

    /** One run: servers up, set-up, sockets, load, measurements, tear-down. */
    static final class Run implements BenchSocket.Probe {
        private final Config c;
        private final String javaHome = System.getProperty("java.home");
        private final Rest rest = new Rest();
        private final List<ServerProcess> servers = new ArrayList<>();
        private final Result r = new Result();
        private final ConcurrentHistogram fromStart = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        private final ConcurrentHistogram fromTs = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        private final ConcurrentHistogram restLatency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        /** With {@code idempotency=alternate}: the mutations that carried an Idempotency-Key, and those that did not. */
        private final ConcurrentHistogram restKeyed = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        private final ConcurrentHistogram restPlain = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        private AtomicLongArray startNanos;
        private AtomicLongArray answerNanos;
        private final ConcurrentHistogram fromAnswer = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        private volatile int recordFrom = Integer.MAX_VALUE;
        private final AtomicLong lateFrames = new AtomicLong();
        private String database;

        Run(Config c) {
            this.c = c;
            r.config = c;
        }

        @Override
        public void delivered(long arrivalNanos, long arrivalMillis, String frame) {
            long seq = BenchSocket.number(frame, "\"name\":\"b");
            if (seq < 0 || seq >= startNanos.length() || seq < recordFrom) {
                return;
            }
            long start = startNanos.get((int) seq);
            if (start != 0) {
                fromStart.recordValue(Math.max(0, (arrivalNanos - start) / 1000));
            }
            long answer = answerNanos.get((int) seq);
            if (answer != 0) {
                // 0 when the frame beat the REST answer to the client
                fromAnswer.recordValue(Math.max(0, (arrivalNanos - answer) / 1000));
            }
            long ts = BenchSocket.tsMillis(frame);
            if (ts > 0) {
                fromTs.recordValue(Math.max(0, (arrivalMillis - ts) * 1000));
            }
        }

        Result execute() throws Exception {
            System.out.println();
            System.out.println("== " + c.name() + ": " + c.describe());
            r.loadBefore = loadAverage();
            System.out.println("load average before: " + r.loadBefore);
            long t0 = System.nanoTime();
            List<BenchSocket> sockets = new ArrayList<>();
            List<HttpClient> wsClients = new ArrayList<>();
            // BENCH_CLIENT=lean (or -Dbench.client=lean): one selector thread parses every frame; the JDK client costs
            // about a core at 100,000 frames/s, which on a 2-core box starves the server being measured
            LeanWebSockets lean = "lean".equals(System.getProperty("bench.client", System.getenv("BENCH_CLIENT")))
                    ? new LeanWebSockets() : null;
            try {
                startServers();
                long[] rssBefore = new long[servers.size()];
                long[] heapBefore = new long[servers.size()];
                // ---- users, lists, members, one item per list ------------------------------------------------
                long setup = System.nanoTime();
                int users = Math.max(c.members(), Math.min(c.users(), Math.max(c.lists(), c.members())));
                Rest.User[] u = new Rest.User[users];
                String run = Long.toString(System.currentTimeMillis(), 36);
                parallel(users, 16, i -> u[i] = rest.register(base(i), "b" + run + "-" + i + "@bench.example"));
                String[] listIds = new String[c.lists()];
                String[] itemIds = new String[c.lists()];
                int members = Math.max(1, c.members());
                parallel(c.lists(), 32, l -> {
                    Rest.User owner = u[l % users];
                    listIds[l] = rest.createList(base(l), owner, "L" + l);
                    for (int k = 1; k < members; k++) {
                        rest.addMember(base(l), owner, listIds[l], u[(l + k) % users]);
                    }
                    itemIds[l] = rest.createItem(base(l), owner, listIds[l], "seed");
                });
                r.setupSeconds = (System.nanoTime() - setup) / 1e9;
                System.out.printf(Locale.ROOT, "set-up: %d users, %d lists (%d members each), in %.1f s%n", users,
                        c.lists(), members, r.setupSeconds);
                for (int i = 0; i < servers.size(); i++) {
                    heapBefore[i] = servers.get(i).gcAndHeapUsedKib(javaHome);
                    rssBefore[i] = servers.get(i).rssKib();
                }
                // ---- sockets ----------------------------------------------------------------------------------
                long connect = System.nanoTime();
                int clients = Math.max(1, Math.min(8, c.sockets() / 1000));
                for (int i = 0; i < clients; i++) {
                    wsClients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(20)).build());
                }
                int[] perInstance = new int[servers.size()];
                Semaphore opening = new Semaphore(200);
                List<CompletableFuture<Long>> hellos = new ArrayList<>();
                for (int s = 0; s < c.sockets(); s++) {
                    int l = s % c.lists();
                    int k = (s / c.lists()) % members;
                    int instance = (s / c.lists()) % servers.size();
                    perInstance[instance]++;
                    Rest.User user = u[(l + k) % users];
                    BenchSocket socket = new BenchSocket(l, instance, this);
                    sockets.add(socket);
                    URI uri = URI.create(servers.get(instance).base.replace("http:", "ws:") + "/api/v1/ws/lists/"
                            + listIds[l] + "?token=" + user.token());
                    if (!opening.tryAcquire(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("socket opening stalled");
                    }
                    if (lean != null) {
                        try {
                            lean.open(uri, socket);
                        } catch (IOException e) {
                            socket.hello.completeExceptionally(e);
                        }
                    } else {
                        wsClients.get(s % clients).newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                                .buildAsync(uri, socket)
                                .whenComplete((ws, t) -> {
                                    if (t != null) {
                                        socket.hello.completeExceptionally(t);
                                    }
                                });
                    }
                    socket.hello.whenComplete((v, t) -> opening.release());
                    hellos.add(socket.hello);
                }
                for (CompletableFuture<Long> h : hellos) {
                    try {
                        h.get(60, TimeUnit.SECONDS);
                        r.socketsOpen++;
                    } catch (Exception e) {
                        if (r.socketsFailed++ < 3) {
                            System.out.println("socket failed: " + e);
                        }
                    }
                }
                r.connectSeconds = (System.nanoTime() - connect) / 1e9;
                System.out.printf(Locale.ROOT, "sockets: %d open, %d failed, in %.1f s (%s per instance)%n",
                        r.socketsOpen, r.socketsFailed, r.connectSeconds, Arrays.toString(perInstance));
                // ---- memory per socket (after a full GC) --------------------------------------------------
                double rssDelta = 0;
                double heapDelta = 0;
                boolean local = servers.get(0).local();
                for (int i = 0; i < servers.size(); i++) {
                    long heap = servers.get(i).gcAndHeapUsedKib(javaHome);
                    long rss = servers.get(i).rssKib();
                    rssDelta += (rss - rssBefore[i]) * 1024.0;
                    heapDelta += (heap - heapBefore[i]) * 1024.0;
                    System.out.printf(Locale.ROOT, "server %d (pid %d): RSS %d → %d MiB, heap used after GC %d → %d MiB,"
                                    + " %d threads%n", i, servers.get(i).pid(), rssBefore[i] / 1024, rss / 1024,
                            heapBefore[i] / 1024, heap / 1024, servers.get(i).threads());
                }
                if (local && Boolean.getBoolean("bench.histogram")) {
                    Path histo = OUT.resolve(c.name()).resolve("class-histogram.txt");
                    Files.writeString(histo, servers.get(0).jcmd(javaHome, "GC.class_histogram"));
                    System.out.println("class histogram of server 0 with the sockets open: " + histo);
                }
                r.bytesPerSocketRss = local && r.socketsOpen > 0 ? rssDelta / r.socketsOpen : Double.NaN;
                r.bytesPerSocketHeap = local && r.socketsOpen > 0 ? heapDelta / r.socketsOpen : Double.NaN;
                // ---- load -------------------------------------------------------------------------------------
                long[] cpuBefore = servers.stream().mapToLong(ServerProcess::cpuMillis).toArray();
                long genCpuBefore = generatorCpuNanos();
                long stallBefore = cpuPressureMicros();
                long driveStart = System.nanoTime();
                AtomicIntegerArray expected = new AtomicIntegerArray(c.lists());
                drive(listIds, itemIds, u, users, expected);
                // ---- wait for the stragglers, then count --------------------------------------------------
                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(c.rate() > 0 ? 20 : 0);
                while (System.nanoTime() < waitUntil && !allDelivered(sockets, expected)) {
                    Thread.sleep(100);
                }
                long driveNanos = System.nanoTime() - driveStart;
                long[] cpuAfter = servers.stream().mapToLong(ServerProcess::cpuMillis).toArray();
                double cpu = 0;
                for (int i = 0; i < servers.size(); i++) {
                    cpu += cpuAfter[i] - cpuBefore[i];
                }
                r.serverCpuPct = local ? cpu * 1e6 / driveNanos * 100 : Double.NaN;
                r.generatorCpuPct = (generatorCpuNanos() - genCpuBefore) * 100.0 / driveNanos;
                long stallAfter = cpuPressureMicros();
                r.cpuPressurePct = stallBefore < 0 ? Double.NaN : (stallAfter - stallBefore) * 1000.0 * 100 / driveNanos;
                r.serverRssKib = servers.stream().mapToLong(ServerProcess::rssKib).sum();
                for (BenchSocket s : sockets) {
                    if (s.hello.isDone() && !s.hello.isCompletedExceptionally()) {
                        r.expected += expected.get(s.list);
                        r.delivered += Math.min(s.distinct(), expected.get(s.list));
                        r.duplicates += s.duplicates();
                        r.outOfOrder += s.outOfOrder();
                        r.resyncs += s.resyncs();
                        if (s.closeCode() >= 0) {
                            r.closedSockets++;
                        }
                        r.minPings = r.minPings < 0 ? s.pings() : Math.min(r.minPings, s.pings());
                    }
                }
                r.loadAfter = loadAverage();
                r.fromStart = fromStart;
                r.fromTs = fromTs;
                r.fromAnswer = fromAnswer;
                r.rest = restLatency;
                report(sockets);
                return r;
            } finally {
                sockets.forEach(BenchSocket::abort);
                servers.forEach(ServerProcess::close);
                wsClients.forEach(HttpClient::shutdownNow);
                if (lean != null) {
                    lean.close();
                }
                dropDatabase();
                System.out.printf(Locale.ROOT, "(run took %.0f s)%n", (System.nanoTime() - t0) / 1e9);
            }
        }

        private void drive(String[] listIds, String[] itemIds, Rest.User[] u, int users,
                           AtomicIntegerArray expected) throws InterruptedException {
            int total = (int) Math.round(c.rate() * (c.seconds() + c.warmup()));
            int warm = (int) Math.round(c.rate() * c.warmup());
            startNanos = new AtomicLongArray(Math.max(1, total));
            answerNanos = new AtomicLongArray(Math.max(1, total));
            recordFrom = warm;
            if (total == 0) {
                System.out.println("idle for " + c.seconds() + " s (pings every " + c.pingInterval() + ")");
                Thread.sleep(c.seconds() * 1000L);
                return;
            }
            Semaphore inFlight = new Semaphore(256);
            AtomicLong errors = new AtomicLong();
            AtomicLong skipped = new AtomicLong();
            AtomicInteger firstErrors = new AtomicInteger();
            long start = System.nanoTime();
            double interval = 1e9 / c.rate();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < total; i++) {
                    long due = start + (long) (i * interval);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (!inFlight.tryAcquire()) {
                        skipped.incrementAndGet();
                        continue;
                    }
                    int seq = i;
                    int l = (int) ((i * 7919L) % c.lists());
                    pool.execute(() -> {
                        try {
                            Rest.User owner = u[l % users];
                            String base = base(l);
                            boolean keyed = switch (c.idempotency()) {
                                case "on" -> true;
                                case "alternate" -> (seq / 2) % 2 == 0; // POSTs and PATCHes alike
                                default -> false;
                            };
                            Map<String, String> headers = keyed
                                    ? Map.of("Idempotency-Key", UUID.randomUUID().toString()) : Map.of();
                            long t = System.nanoTime();
                            startNanos.set(seq, t);
                            Rest.Reply reply = seq % 2 == 0
                                    ? rest.call("POST", base + "/api/v1/lists/" + listIds[l] + "/items", owner.token(),
                                    Map.of("name", "b" + seq), headers)
                                    : rest.call("PATCH", base + "/api/v1/lists/" + listIds[l] + "/items/" + itemIds[l],
                                    owner.token(), Map.of("name", "b" + seq), headers);
                            long answered = System.nanoTime();
                            answerNanos.set(seq, answered);
                            long us = (answered - t) / 1000;
                            if (reply.ok()) {
                                expected.incrementAndGet(l);
                                if (seq >= recordFrom) {
                                    restLatency.recordValue(us);
                                    (keyed ? restKeyed : restPlain).recordValue(us);
                                }
                            } else {
                                errors.incrementAndGet();
                                if (firstErrors.getAndIncrement() < 3) {
                                    System.out.println("mutation error: " + reply.status() + " " + reply.body());
                                }
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            if (firstErrors.getAndIncrement() < 3) {
                                System.out.println("mutation error: " + e);
                            }
                        } finally {
                            inFlight.release();
                        }
                    });
                }
            }
            r.mutations = total - skipped.get();
            r.restErrors = errors.get();
            r.skipped = skipped.get();
            System.out.printf(Locale.ROOT, "drove %d mutations in %.1f s (%d errors, %d skipped: 256 in flight)%n",
                    r.mutations, (System.nanoTime() - start) / 1e9, r.restErrors, r.skipped);
        }

        private boolean allDelivered(List<BenchSocket> sockets, AtomicIntegerArray expected) {
            for (BenchSocket s : sockets) {
                if (s.hello.isDone() && !s.hello.isCompletedExceptionally() && s.closeCode() < 0
                        && s.distinct() < expected.get(s.list)) {
                    return false;
                }
            }
            return true;
        }

        private void report(List<BenchSocket> sockets) {
            System.out.println("delivery latency, mutation request start → event frame at the client: " + pct(fromStart)
                    + " (n=" + fromStart.getTotalCount() + ")");
            System.out.println("delivery latency, event ts (server) → event frame at the client:       " + pct(fromTs));
            System.out.println("delivery after the writer's REST answer (0 if the frame came first):  " + pct(fromAnswer));
            System.out.println("REST mutation latency: " + pct(restLatency) + "; errors " + r.restErrors
                    + ", skipped " + r.skipped);
            if (c.idempotency().equals("alternate")) {
                System.out.println("  with Idempotency-Key:    " + pct(restKeyed) + " (n=" + restKeyed.getTotalCount() + ")");
                System.out.println("  without Idempotency-Key: " + pct(restPlain) + " (n=" + restPlain.getTotalCount() + ")");
                System.out.printf(Locale.ROOT, "  p50 difference (with - without): %+.3f ms%n",
                        (restKeyed.getValueAtPercentile(50) - restPlain.getValueAtPercentile(50)) / 1000.0);
            }
            System.out.printf(Locale.ROOT, "events: expected %d, delivered %d, lost %d, duplicates %d, out of order %d,"
                            + " resyncs %d; sockets closed during the run: %d; fewest pings on a socket: %d%n",
                    r.expected, r.delivered, r.expected - r.delivered, r.duplicates, r.outOfOrder, r.resyncs,
                    r.closedSockets, r.minPings);
            Map<Integer, Integer> closes = new LinkedHashMap<>();
            sockets.forEach(s -> {
                if (s.closeCode() >= 0) {
                    closes.merge(s.closeCode(), 1, Integer::sum);
                }
            });
            if (!closes.isEmpty()) {
                System.out.println("close codes: " + closes);
            }
            System.out.printf(Locale.ROOT, "server CPU %.0f%% of one core (sum over instances, load phase), RSS %d MiB;"
                            + " memory per socket: RSS %s, heap %s%n", r.serverCpuPct, r.serverRssKib / 1024,
                    Result.kib(r.bytesPerSocketRss), Result.kib(r.bytesPerSocketHeap));
            System.out.printf(Locale.ROOT, "load generator CPU %.0f%% of one core; load average after: %s; CPU pressure"
                            + " during the load (share of time some runnable task waited for a CPU, all processes"
                            + " on the box): %.0f%%%n", r.generatorCpuPct, r.loadAfter, r.cpuPressurePct);
            System.out.println(Result.tableHeader());
            System.out.println(r.tableRow());
        }

        private static String pct(Histogram h) {
            return "p50 " + Result.ms(h, 50) + ", p95 " + Result.ms(h, 95) + ", p99 " + Result.ms(h, 99) + ", max "
                    + Result.ms(h, 100);
        }

        private String base(int index) {
            return servers.get(index % servers.size()).base;
        }

        private void startServers() throws Exception {
            if (!c.targets().isBlank()) {
                for (String t : c.targets().split(",")) {
                    servers.add(ServerProcess.running(t.trim()));
                }
                return;
            }
            Path jar = Path.of(c.jar()).toAbsolutePath();
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: mvn -B -DskipWeb -DskipTests package");
            }
            Path work = Files.createDirectories(OUT.resolve(c.name()));
            String run = "bench_" + Long.toString(System.currentTimeMillis(), 36);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("AUTH_JWT_SECRET", "bench-secret-bench-secret-bench-secret-0123456789");
            env.put("AUTH_BCRYPT_COST", "4");
            env.put("AUTH_ACCESS_TOKEN_TTL", "PT2H");
            env.put("REALTIME_PING_INTERVAL", c.pingInterval());
            // thousands of sockets from one address and few users: the socket caps would refuse most
            env.put("REALTIME_MAX_SOCKETS_PER_USER", "0");
            env.put("REALTIME_MAX_SOCKETS_PER_ADDRESS", "0");
            env.put("BROKER_TYPE", c.broker());
            env.put("BROKER_REDIS_URI", "redis://127.0.0.1:6379");
            env.put("BROKER_REDIS_CHANNEL_PREFIX", run + ":list:");
            if (c.db().equals("postgres")) {
                database = run;
                try (Connection conn = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                        "postgres", ""); Statement st = conn.createStatement()) {
                    st.execute("CREATE DATABASE " + database);
                }
                env.put("DB_CONNECTION_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
                env.put("DB_CONNECTION_USERNAME", "postgres");
            } else if (c.instances() > 1) {
                throw new IllegalArgumentException("several instances need db=postgres");
            }
            List<String> jvm = new ArrayList<>();
            jvm.add("-Xmx" + c.serverXmx());
            if (!c.serverOpts().isBlank()) {
                jvm.addAll(List.of(c.serverOpts().trim().split("\\s+")));
            }
            List<String> extraCp = new ArrayList<>();
            if (c.broker().equals("bench-noop")) {
                extraCp.add(NoopBroker.jar(OUT).toString());
            }
            for (int i = 0; i < c.instances(); i++) {
                servers.add(ServerProcess.start(jar, extraCp, javaHome, jvm, env, work, "server-" + i));
                if (i == 0 && c.instances() > 1) {
                    servers.get(0).awaitHealthy(Duration.ofSeconds(120)); // migrations run once, first
                }
            }
            for (ServerProcess s : servers) {
                s.awaitHealthy(Duration.ofSeconds(120));
            }
            System.out.println("servers up: " + servers.stream().map(s -> s.base + " (pid " + s.pid() + ")").toList()
                    + ", logs in " + work);
        }

        private void dropDatabase() {
            if (database == null) {
                return;
            }
            try (Connection conn = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                    "postgres", ""); Statement st = conn.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.out.println("could not drop database " + database + ": " + e);
            }
        }
    }

    interface IndexTask {
        void run(int i) throws Exception;
    }

    static void parallel(int count, int concurrency, IndexTask task) throws Exception {
        Semaphore permits = new Semaphore(concurrency);
        List<Exception> failures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                permits.acquire();
                int index = i;
                pool.execute(() -> {
                    try {
                        task.run(index);
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " set-up calls failed; first: " + failures.get(0),
                    failures.get(0));
        }
    }

    static long generatorCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Total microseconds some task waited for a CPU ({@code /proc/pressure/cpu}), or -1. */
    static long cpuPressureMicros() {
        try {
            String some = Files.readAllLines(Path.of("/proc/pressure/cpu")).get(0);
            return Long.parseLong(some.substring(some.indexOf("total=") + 6).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
