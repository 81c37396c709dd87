package io.listsync.broker.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A master, a replica and three sentinels of the test's own, in a throw-away folder on free ports. The test may
 * kill the master (SIGKILL) and wait for the sentinels to promote the replica, then start the old master again (the
 * sentinels turn it into a replica). Shipped in this module's test-jar for the server's tests.
 */
public final class ThrowawayRedisSentinels implements AutoCloseable {

    /** How long the master may be silent before the sentinels call it down: short, for quick failovers. */
    public static final Duration DOWN_AFTER = Duration.ofMillis(1000);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ThrowawayRedisSentinels shared;

    private final Path dir;
    /**
     * The name the sentinels monitor the master under, new for each set: sentinels find each other by it (on the
     * master's hello channel), so one left running by an earlier, killed test run cannot join this set's votes.
     */
    private final String masterName = "listsync-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ThrowawayRedis> data = new ArrayList<>();
    private final List<ThrowawayRedis> sentinels = new ArrayList<>();

    private ThrowawayRedisSentinels() {
        try {
            this.dir = Files.createTempDirectory("listsync-redis-sentinel");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ThrowawayRedis master = ThrowawayRedis.reserve(List.of(), List.of("--dir", dir.toString()));
        data.add(master);
        data.add(ThrowawayRedis.reserve(List.of(), List.of("--dir", dir.toString(), "--replicaof", "127.0.0.1",
                Integer.toString(master.port()))));
        for (int i = 0; i < 3; i++) {
            Path conf = dir.resolve("sentinel-" + i + ".conf");
            try {
                Files.writeString(conf, String.join("\n",
                        "sentinel monitor " + masterName + " 127.0.0.1 " + master.port() + " 2",
                        "sentinel down-after-milliseconds " + masterName + " " + DOWN_AFTER.toMillis(),
                        "sentinel failover-timeout " + masterName + " 10000",
                        "sentinel parallel-syncs " + masterName + " 1", ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sentinels.add(ThrowawayRedis.reserve(List.of(conf.toString()), List.of("--sentinel", "--dir",
                    dir.toString())));
        }
    }

    /**
     * The set-up this JVM's tests share: started on first use, stopped at JVM exit. A test that fails the master
     * over starts the old one again and waits for {@link #awaitHealthy()} before it ends.
     */
    public static synchronized ThrowawayRedisSentinels shared() {
        if (shared == null) {
            ThrowawayRedisSentinels setup = start();
            Runtime.getRuntime().addShutdownHook(new Thread(setup::close, "throwaway-redis-sentinels-stop"));
            shared = setup;
        }
        shared.awaitHealthy();
        return shared;
    }

    /** Master, replica and sentinels, started and in agreement. */
    public static ThrowawayRedisSentinels start() {
        ThrowawayRedisSentinels setup = reserve();
        try {
            setup.create();
        } catch (RuntimeException | Error e) {
            setup.close();
            throw e;
        }
        return setup;
    }

    /** Ports for a set-up that is not running yet ({@link #create()} starts it): Redis that appears later. */
    public static ThrowawayRedisSentinels reserve() {
        return new ThrowawayRedisSentinels();
    }

    /** Starts the master, the replica and the sentinels, and waits until they agree. */
    public void create() {
        data.forEach(ThrowawayRedis::startAgain);
        sentinels.forEach(ThrowawayRedis::startAgain);
        awaitHealthy();
    }

    /** {@code broker.redis.uri} for the master the sentinels monitor. */
    public String uri() {
        return uri(masterName);
    }

    /** The name the sentinels monitor the master under. */
    public String masterName() {
        return masterName;
    }

    /** {@code broker.redis.uri} naming any master name (a wrong one, for tests of the error). */
    public String uri(String masterName) {
        return "redis-sentinel://" + sentinels.stream().map(s -> "127.0.0.1:" + s.port())
                .collect(Collectors.joining(",")) + "#" + masterName;
    }

    /** The ports of the two data nodes. */
    public List<Integer> dataPorts() {
        return data.stream().map(ThrowawayRedis::port).toList();
    }

    /** The port of the master, as the first sentinel that answers names it. */
    @SuppressWarnings("unchecked")
    public int masterPort() {
        for (ThrowawayRedis sentinel : sentinels) {
            try {
                Object reply = ThrowawayRedisCli.call(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME",
                        masterName);
                if (reply instanceof List<?> address) {
                    return Integer.parseInt((String) ((List<Object>) address).get(1));
                }
            } catch (IOException unreachable) {
                // ask the next one
            }
        }
        throw new AssertionError("No sentinel names a master");
    }

    /** Kills the master with SIGKILL. */
    public int killMaster() {
        int port = masterPort();
        node(port).kill();
        return port;
    }

    /**
     * Starts a killed data node again, as a replica of the current master (as configuration management would; the
     * sentinels would make it one too, but only once they next look, up to 10 s later).
     */
    public void restart(int port) {
        node(port).startAgain(List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort())));
    }

    /** Waits until every sentinel names a master other than {@code deadPort} and that node is a master. */
    public void awaitFailover(int deadPort) {
        await(() -> "the sentinels promoted a replica instead of " + deadPort, () -> {
            List<Integer> named = namedMasters();
            return named.size() == sentinels.size() && named.stream().allMatch(port -> port != deadPort)
                    && "master".equals(ThrowawayRedisCluster.info(named.getFirst(), "role"));
        });
    }

    /**
     * Waits until both data nodes run, every sentinel names the same master, that node is a master and the other a
     * replica in sync with it, and every sentinel knows the two others and the replica.
     */
    public void awaitHealthy() {
        for (ThrowawayRedis node : data) {
            if (!node.isRunning()) {
                throw new AssertionError("Data node " + node.port() + " is down; a test that kills one restarts it");
            }
        }
        await(() -> "the sentinels agree on a healthy master and replica; they name " + namedMasters(), () -> {
            List<Integer> named = namedMasters();
            if (named.size() != sentinels.size() || named.stream().distinct().count() != 1) {
                return false;
            }
            int master = named.getFirst();
            int replica = dataPorts().stream().filter(port -> port != master).findFirst().orElseThrow();
            return "master".equals(ThrowawayRedisCluster.info(master, "role"))
                    && "slave".equals(ThrowawayRedisCluster.info(replica, "role"))
                    && Integer.toString(master).equals(ThrowawayRedisCluster.info(replica, "master_port"))
                    && "up".equals(ThrowawayRedisCluster.info(replica, "master_link_status"))
                    && sentinels.stream().allMatch(sentinel -> knowsOthers(sentinel.port(), replica));
        });
    }

    @SuppressWarnings("unchecked")
    private boolean knowsOthers(int sentinelPort, int replicaPort) {
        try {
            Object others = ThrowawayRedisCli.call(sentinelPort, "SENTINEL", "SENTINELS", masterName);
            Object replicas = ThrowawayRedisCli.call(sentinelPort, "SENTINEL", "REPLICAS", masterName);
            if (!(others instanceof List<?> o) || o.size() != sentinels.size() - 1
                    || !(replicas instanceof List<?> r)) {
                return false;
            }
            return r.stream().map(entry -> (List<Object>) entry).anyMatch(fields -> {
                int port = fields.indexOf("port");
                int flags = fields.indexOf("flags");
                return port >= 0 && flags >= 0 && Integer.toString(replicaPort).equals(fields.get(port + 1))
                        && !((String) fields.get(flags + 1)).contains("down")
                        && !((String) fields.get(flags + 1)).contains("disconnected");
            });
        } catch (IOException unreachable) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private List<Integer> namedMasters() {
        List<Integer> named = new ArrayList<>();
        for (ThrowawayRedis sentinel : sentinels) {
            try {
                Object reply = ThrowawayRedisCli.call(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME",
                        masterName);
                if (reply instanceof List<?> address) {
                    named.add(Integer.parseInt((String) ((List<Object>) address).get(1)));
                }
            } catch (IOException unreachable) {
                // not counted
            }
        }
        return named;
    }

    private ThrowawayRedis node(int port) {
        return data.stream().filter(node -> node.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("No data node on port " + port));
    }

    @Override
    public void close() {
        sentinels.forEach(ThrowawayRedis::close);
        data.forEach(ThrowawayRedis::close);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    private static void await(Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + WAIT + " waiting until " + what.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
