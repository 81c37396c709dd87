package io.listsync.server.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Issue 6's reconnect storm: S sockets on instance A follow L lists; A is killed; changes go on through instance B;
 * A restarts and all S sockets reconnect to it at once with {@code ?since=<last version seen>}. Prints the time
 * until every socket is caught up (hello, replay, live) and the load the storm put on PostgreSQL.
 *
 * <pre>
 * mvn -B -DskipWeb -DskipTests package
 * mvn -B -q -pl server -Pbench -Dbench.main=io.listsync.server.bench.ReconnectStorm -Dbench.args="sockets=5000 lists=500"
 * </pre>
 */
public final class ReconnectStorm {

    private ReconnectStorm() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> p = new java.util.HashMap<>();
        for (String arg : args) {
            for (String pair : arg.split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    p.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        int sockets = Integer.parseInt(p.getOrDefault("sockets", "5000"));
        int lists = Integer.parseInt(p.getOrDefault("lists", "500"));
        int missed = Integer.parseInt(p.getOrDefault("missed", "3"));
        String javaHome = System.getProperty("java.home");
        Path jar = Path.of(p.getOrDefault("jar", "target/listsync.jar")).toAbsolutePath();
        Path work = Files.createDirectories(Path.of("target/bench/storm-" + System.currentTimeMillis()));
        String db = "bench_storm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        admin("CREATE DATABASE " + db);
        Map<String, String> env = Map.of(
                "DB_CONNECTION_URL", "jdbc:postgresql://127.0.0.1:5432/" + db,
                "DB_CONNECTION_USERNAME", "postgres",
                "BROKER_TYPE", "redis",
                "BROKER_REDIS_CHANNEL_PREFIX", "storm-" + db + ":",
                "AUTH_JWT_SECRET", "storm-benchmark-secret-0123456789-abcdefghij",
                "AUTH_BCRYPT_COST", "4",
                "AUTH_ACCESS_TOKEN_TTL", "PT2H",
                // 5,000 sockets from one address: no socket caps
                "REALTIME_MAX_SOCKETS_PER_USER", "0",
                "REALTIME_MAX_SOCKETS_PER_ADDRESS", "0");
        List<String> jvm = List.of("-Xmx2g", "-XX:+UseSerialGC");
        ServerProcess a = ServerProcess.start(jar, List.of(), javaHome, jvm, env, work, "a");
        ServerProcess b = ServerProcess.start(jar, List.of(), javaHome, jvm, env, work, "b");
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            a.awaitHealthy(Duration.ofSeconds(60));
            b.awaitHealthy(Duration.ofSeconds(60));
            Rest rest = new Rest();
            System.out.printf("set-up: %d lists, %d sockets on instance A (%s)%n", lists, sockets, a.base);
            Rest.User owner = rest.register(b.base, "storm-owner@example.com");
            String[] listIds = new String[lists];
            parallel(pool, lists, i -> listIds[i] = rest.createList(b.base, owner, "storm " + i));

            StormSocket[] clients = new StormSocket[sockets];
            for (int s = 0; s < sockets; s++) {
                clients[s] = new StormSocket(s % lists);
            }
            connectAll(http, a, listIds, owner.token(), clients, false);
            long[] version = new long[lists];
            parallel(pool, lists, i -> version[i] = changes(rest, b, owner, listIds[i], 2));
            awaitCaughtUp(clients, version, Duration.ofSeconds(20));
            System.out.printf("before: every socket at its list's version (%d events each)%n", version[0]);

            a.close();
            Arrays.stream(clients).forEach(StormSocket::abort);
            parallel(pool, lists, i -> version[i] = changes(rest, b, owner, listIds[i], missed));
            System.out.printf("instance A killed; %d changes per list made through B meanwhile%n", missed);

            ServerProcess restarted = ServerProcess.start(jar, List.of(), javaHome, jvm, env, work, "a2");
            restarted.awaitHealthy(Duration.ofSeconds(60));
            long[] dbBefore = pgStats(db);
            long cpuBefore = restarted.cpuMillis();
            for (StormSocket c : clients) {
                c.target(version[c.list]);
            }
            long start = System.nanoTime();
            connectAll(http, restarted, listIds, owner.token(), clients, true);
            long connected = System.nanoTime();
            try {
                awaitCaughtUp(clients, version, Duration.ofSeconds(60));
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
                System.out.println(rest.call("GET", restarted.base + "/observe/metrics", null, null).body().lines()
                        .filter(l -> l.startsWith("listsync_")).toList());
                System.out.println(restarted.jcmd(javaHome, "Thread.dump_to_file", "-format=json",
                        work.resolve("threads.json").toAbsolutePath().toString()));
                throw e;
            }
            long caughtUp = System.nanoTime();
            long[] dbAfter = pgStats(db);
            long cpuAfter = restarted.cpuMillis();

            long[] perSocket = Arrays.stream(clients).mapToLong(c -> c.caughtUpNanos - start).sorted().toArray();
            int resyncs = Arrays.stream(clients).mapToInt(c -> c.resyncs).sum();
            int duplicates = Arrays.stream(clients).mapToInt(c -> c.duplicates).sum();
            System.out.println();
            System.out.println("| reconnect storm | value |");
            System.out.println("| --- | --- |");
            System.out.printf("| sockets reconnecting at once / lists | %d / %d |%n", sockets, lists);
            System.out.printf("| events missed per socket | %d |%n", missed);
            System.out.printf("| all sockets open (upgrade + hello) | %d ms |%n", (connected - start) / 1_000_000);
            System.out.printf("| all sockets caught up | %d ms |%n", (caughtUp - start) / 1_000_000);
            System.out.printf("| per socket caught up p50 / p99 / max | %d / %d / %d ms |%n",
                    perSocket[perSocket.length / 2] / 1_000_000,
                    perSocket[(int) (perSocket.length * 0.99)] / 1_000_000, perSocket[perSocket.length - 1] / 1_000_000);
            System.out.printf("| resyncs / duplicates | %d / %d |%n", resyncs, duplicates);
            System.out.printf("| PostgreSQL transactions during the storm | %d (%.1f per socket) |%n",
                    dbAfter[0] - dbBefore[0], (dbAfter[0] - dbBefore[0]) / (double) sockets);
            System.out.printf("| PostgreSQL rows returned during the storm | %d |%n", dbAfter[1] - dbBefore[1]);
            System.out.printf("| server CPU during the storm | %d ms |%n", cpuAfter - cpuBefore);
            Arrays.stream(clients).forEach(StormSocket::abort);
            restarted.close();
        } finally {
            a.close();
            b.close();
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    /** Makes {@code count} changes to a list; returns its version after them. */
    private static long changes(Rest rest, ServerProcess via, Rest.User owner, String listId, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            rest.createItem(via.base, owner, listId, "change " + i);
        }
        return rest.expect("GET", via.base + "/api/v1/lists/" + listId, owner.token(), null).json()
                .path("version").asLong();
    }

    private static void connectAll(HttpClient http, ServerProcess server, String[] listIds, String token,
                                   StormSocket[] clients, boolean since) throws Exception {
        // the JDK client connects asynchronously; bound the handshakes in flight as a browser fleet would not
        Semaphore inFlight = new Semaphore(500);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (StormSocket c : clients) {
            inFlight.acquire();
            String query = "token=" + token + (since ? "&since=" + c.lastVersion : "");
            opening.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port + "/api/v1/ws/lists/"
                            + listIds[c.list] + "?" + query), c)
                    .whenComplete((ws, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    private static void awaitCaughtUp(StormSocket[] clients, long[] version, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int behind = 0;
            for (StormSocket c : clients) {
                if (c.lastVersion < version[c.list]) {
                    behind++;
                }
            }
            if (behind == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder detail = new StringBuilder();
                for (StormSocket c : clients) {
                    if (c.lastVersion < version[c.list] && detail.length() < 2000) {
                        detail.append(" list ").append(c.list).append(" at ").append(c.lastVersion).append("/")
                                .append(version[c.list]).append(" frames ").append(c.frames);
                    }
                }
                throw new IllegalStateException(behind + " sockets not caught up within " + timeout + ":" + detail);
            }
            Thread.sleep(5);
        }
    }

    /** xact_commit + xact_rollback, tup_returned + tup_fetched of the database. */
    private static long[] pgStats(String db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet r = s.executeQuery("SELECT xact_commit + xact_rollback, tup_returned + tup_fetched "
                    + "FROM pg_stat_database WHERE datname = '" + db + "'")) {
                r.next();
                return new long[] {r.getLong(1), r.getLong(2)};
            }
        }
    }

    private static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private interface IntTask {
        void run(int i) throws Exception;
    }

    private static void parallel(ExecutorService pool, int count, IntTask task) throws Exception {
        Semaphore limit = new Semaphore(32);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            limit.acquire();
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    task.run(n);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    limit.release();
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    }

    /** Follows one list: the last version it holds, and when it caught up. */
    private static final class StormSocket implements WebSocket.Listener {
        final int list;
        volatile long lastVersion;
        volatile long target = Long.MAX_VALUE;
        volatile long caughtUpNanos;
        volatile boolean resuming;
        volatile int resyncs;
        volatile int duplicates;
        final List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile WebSocket ws;
        private final StringBuilder partial = new StringBuilder();

        StormSocket(int list) {
            this.list = list;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (!last) {
                return null;
            }
            String frame = partial.toString();
            partial.setLength(0);
            if (frames.size() < 10) {
                frames.add(frame.length() > 60 ? frame.substring(0, 60) : frame);
            }
            long version = BenchSocket.number(frame, "\"version\":");
            if (frame.startsWith("{\"type\":\"ping\"")) {
                webSocket.sendText("{\"type\":\"pong\"}", true);
            } else if (frame.startsWith("{\"type\":\"resync\"")) {
                resyncs++;
                lastVersion = Math.max(lastVersion, version);
            } else if (frame.startsWith("{\"type\":\"hello\"")) {
                if (!resuming) {
                    // a fresh client loads the list at hello's version; a resuming one waits for the replay
                    lastVersion = Math.max(lastVersion, version);
                }
            } else if (version > 0) {
                if (version <= lastVersion) {
                    duplicates++;
                } else {
                    lastVersion = version;
                }
            }
            if (lastVersion >= target && caughtUpNanos == 0) {
                caughtUpNanos = System.nanoTime();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            frames.add("closed " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            frames.add("error " + error);
        }

        /** From now on the socket resumes with since; time how long until it holds {@code version}. */
        void target(long version) {
            frames.clear();
            caughtUpNanos = 0;
            resuming = true;
            target = version;
        }

        void abort() {
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
        }
    }
}
