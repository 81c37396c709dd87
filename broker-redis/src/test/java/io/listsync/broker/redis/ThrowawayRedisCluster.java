package io.listsync.broker.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis Cluster of the test's own, in a throw-away folder on free ports (data and bus ports below the ephemeral
 * range): {@code redis-server --cluster-enabled yes} per node, then {@code redis-cli --cluster create
 * --cluster-replicas n}. The test may kill a master (SIGKILL) and wait for its replica to take over, start the node
 * again (it rejoins as a replica), move a slot, add a node, or pause a node. Shipped in this module's test-jar for the
 * server's tests.
 *
 * <p>{@link #shared()} is one 3-master / 3-replica cluster per JVM, started on first use and stopped when the JVM
 * exits, so that test classes share its start-up cost; a test that kills or moves something in it puts it back
 * ({@link #awaitHealthy()}) before it ends.
 */
public final class ThrowawayRedisCluster implements AutoCloseable {

    /** How long nodes may go without answering before the cluster fails them over: short, for quick failovers. */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static ThrowawayRedisCluster shared;

    private final Path dir;
    private final int replicasPerMaster;
    private final List<ThrowawayRedis> nodes = new ArrayList<>();
    private final Map<Integer, Integer> busPorts = new HashMap<>();
    private boolean created;

    private ThrowawayRedisCluster(int masters, int replicasPerMaster) {
        this.replicasPerMaster = replicasPerMaster;
        try {
            this.dir = Files.createTempDirectory("listsync-redis-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
            nodes.add(newNode());
        }
    }

    /** The cluster this JVM's tests share: 3 masters, 3 replicas; started on first use, stopped at JVM exit. */
    public static synchronized ThrowawayRedisCluster shared() {
        if (shared == null) {
            ThrowawayRedisCluster cluster = start(3, 1);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "throwaway-redis-cluster-stop"));
            shared = cluster;
        }
        shared.awaitHealthy();
        return shared;
    }

    /** A cluster of its own, created and healthy. */
    public static ThrowawayRedisCluster start(int masters, int replicasPerMaster) {
        ThrowawayRedisCluster cluster = reserve(masters, replicasPerMaster);
        try {
            cluster.create();
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Ports for a cluster that does not exist yet ({@link #create()} makes it): a cluster that appears later. */
    public static ThrowawayRedisCluster reserve(int masters, int replicasPerMaster) {
        return new ThrowawayRedisCluster(masters, replicasPerMaster);
    }

    private ThrowawayRedis newNode() {
        int port = ThrowawayRedis.freePort();
        int busPort = ThrowawayRedis.freePort();
        busPorts.put(port, busPort);
        return ThrowawayRedis.reserve(port, List.of(), List.of("--cluster-enabled", "yes",
                "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()),
                "--cluster-port", Integer.toString(busPort),
                "--cluster-require-full-coverage", "no",
                "--cluster-replica-validity-factor", "0",
                "--cluster-allow-replica-migration", "no", // a master keeps its shape when it gives up slots
                "--dir", dir.toString(),
                "--logfile", dir.resolve("redis-" + port + ".log").toString()));
    }

    /** Starts every node, joins them into a cluster and waits until it is healthy. */
    public void create() {
        nodes.forEach(ThrowawayRedis::startAgain);
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        try {
            Process create = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("create.log").toFile()).start();
            if (!create.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) || create.exitValue() != 0) {
                create.destroyForcibly();
                throw new AssertionError("redis-cli --cluster create failed: " + Files.readString(
                        dir.resolve("create.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        created = true;
        awaitHealthy();
    }

    /** The seed list for {@code broker.redis.uri}: every node of the cluster. */
    public String uri() {
        return nodes.stream().map(node -> "redis://127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** The ports of every node, started or not. */
    public List<Integer> ports() {
        return nodes.stream().map(ThrowawayRedis::port).toList();
    }

    /** The slot of a channel or key, as the cluster computes it. */
    public int slot(String channel) {
        return ((Long) ThrowawayRedisCli.require(anyRunningPort(), "CLUSTER", "KEYSLOT", channel)).intValue();
    }

    /** The port of the master that owns a slot now (as a running node sees it). */
    public int masterOf(int slot) {
        return view().stream().filter(node -> node.master() && node.slots().contains(slot)).findFirst()
                .map(ClusterNode::port)
                .orElseThrow(() -> new AssertionError("No master owns slot " + slot + ": " + view()));
    }

    /** The port of the master that owns a channel's slot now. */
    public int masterOfChannel(String channel) {
        return masterOf(slot(channel));
    }

    /** The ports of the masters that own slots. */
    public List<Integer> masters() {
        return view().stream().filter(node -> node.master() && !node.slots().isEmpty()).map(ClusterNode::port)
                .sorted().toList();
    }

    /** The cluster node id of the node on a port. */
    public String nodeId(int port) {
        return (String) ThrowawayRedisCli.require(port, "CLUSTER", "MYID");
    }

    /** Kills a node with SIGKILL. */
    public void kill(int port) {
        node(port).kill();
    }

    /** Starts a killed node again; it rejoins the cluster (as a replica, if it was failed over). */
    public void restart(int port) {
        node(port).startAgain();
    }

    /** Waits until a master other than {@code deadPort} owns {@code slot} and the cluster says it is ok again. */
    public void awaitFailover(int slot, int deadPort) {
        await(() -> "a replica took over slot " + slot + " from " + deadPort + ": " + view(), () -> {
            List<ClusterNode> view = view();
            return view.stream().anyMatch(node -> node.master() && node.port() != deadPort && node.connected()
                    && node.slots().contains(slot))
                    && runningPorts().stream().allMatch(port -> "ok".equals(clusterState(port)));
        });
    }

    /**
     * Waits until every node runs, every node sees every other as connected with no failure flag, all agree on
     * who owns which slots, every slot is owned, and (when the cluster has replicas) every master owning slots has a
     * replica in sync.
     */
    public void awaitHealthy() {
        if (!created) {
            return;
        }
        for (ThrowawayRedis node : nodes) {
            if (!node.isRunning()) {
                throw new AssertionError("Node " + node.port() + " of the throw-away cluster is down; a test that"
                        + " kills a node restarts it");
            }
        }
        await(() -> "the cluster is healthy: " + view(), this::healthy);
    }

    private boolean healthy() {
        String agreed = null;
        for (int port : runningPorts()) {
            if (!"ok".equals(clusterState(port))) {
                return false;
            }
            List<ClusterNode> view = view(port);
            if (view.size() != nodes.size() || view.stream().anyMatch(node -> !node.connected() || node.failing())) {
                return false;
            }
            String assignment = view.stream().filter(ClusterNode::master).sorted(Comparator.comparing(ClusterNode::id))
                    .map(node -> node.id() + "=" + node.slots().size()).collect(Collectors.joining(","));
            if (agreed != null && !agreed.equals(assignment)) {
                return false;
            }
            agreed = assignment;
            int covered = view.stream().filter(ClusterNode::master).mapToInt(node -> node.slots().size()).sum();
            if (covered != 16_384) {
                return false;
            }
            if (replicasPerMaster > 0) {
                for (ClusterNode master : view.stream().filter(n -> n.master() && !n.slots().isEmpty()).toList()) {
                    boolean replicated = view.stream().anyMatch(n -> master.id().equals(n.masterId())
                            && "up".equals(infoSection(n.port(), "replication", "master_link_status")));
                    if (!replicated) {
                        return false;
                    }
                }
            }
        }
        return agreed != null;
    }

    /** Moves a slot (with no keys) to the master on {@code toPort}, telling every master, and waits until all agree. */
    public void moveSlot(int slot, int toPort) {
        int fromPort = masterOf(slot);
        if (fromPort == toPort) {
            return;
        }
        String from = nodeId(fromPort);
        String to = nodeId(toPort);
        ThrowawayRedisCli.require(toPort, "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", from);
        ThrowawayRedisCli.require(fromPort, "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", to);
        ThrowawayRedisCli.require(toPort, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", to);
        // the source may have become a replica of the target by now, if that was its last slot
        ThrowawayRedisCli.text(fromPort, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", to);
        // tell the other masters at once rather than wait for gossip; one that just became a replica refuses
        for (ClusterNode master : view().stream().filter(ClusterNode::master).toList()) {
            if (master.port() != fromPort && master.port() != toPort) {
                ThrowawayRedisCli.text(master.port(), "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", to);
            }
        }
        await(() -> "every node sees slot " + slot + " on " + toPort + ": " + view(),
                () -> runningPorts().stream().allMatch(port -> view(port).stream()
                        .anyMatch(node -> node.port() == toPort && node.slots().contains(slot))));
    }

    /** Starts a new node and joins it to the cluster as a master without slots; waits until every node knows it. */
    public int addNode() {
        ThrowawayRedis node = newNode();
        node.startAgain();
        nodes.add(node);
        ThrowawayRedisCli.require(anyRunningPort(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port()),
                Integer.toString(busPorts.get(node.port())));
        await(() -> "every node knows the new node " + node.port() + " and it knows them: " + view(node.port()),
                () -> runningPorts().stream().allMatch(port -> view(port).size() == nodes.size()
                        && view(port).stream().allMatch(n -> n.connected() && !n.failing())));
        return node.port();
    }

    /** Makes the node on a port answer no client for a while ({@code CLIENT PAUSE ... ALL}); the cluster bus goes on. */
    public void pause(int port, Duration duration) {
        ThrowawayRedisCli.require(port, "CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
    }

    /** The shard channels subscribed on a node ({@code PUBSUB SHARDCHANNELS pattern}). */
    @SuppressWarnings("unchecked")
    public List<String> shardChannels(int port, String pattern) {
        return ((List<Object>) ThrowawayRedisCli.require(port, "PUBSUB", "SHARDCHANNELS", pattern)).stream()
                .map(String.class::cast).toList();
    }

    /** How many connections with this client name the node on a port has, and of which type ({@code pubsub}...). */
    public long clientsNamed(int port, String clientName) {
        String list = (String) ThrowawayRedisCli.require(port, "CLIENT", "LIST");
        return list.lines().filter(line -> line.contains(" name=" + clientName + " ")).count();
    }

    /** {@code cluster_state} from {@code CLUSTER INFO}, or {@code null} when the node does not answer. */
    private static String clusterState(int port) {
        String info = ThrowawayRedisCli.text(port, "CLUSTER", "INFO");
        return info == null ? null : info.lines().filter(line -> line.startsWith("cluster_state:")).findFirst()
                .map(line -> line.substring("cluster_state:".length()).strip()).orElse(null);
    }

    /** A field of {@code INFO}, or {@code null} when the node does not answer. */
    public static String info(int port, String field) {
        return infoSection(port, "all", field);
    }

    private static String infoSection(int port, String section, String field) {
        String info = ThrowawayRedisCli.text(port, "INFO", section);
        if (info == null) {
            return null;
        }
        return info.lines().filter(line -> line.startsWith(field + ":")).findFirst()
                .map(line -> line.substring(field.length() + 1).strip()).orElse(null);
    }

    @Override
    public synchronized void close() {
        nodes.forEach(ThrowawayRedis::close);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    // --- looking at the cluster ---------------------------------------------------------------------------------

    /** One line of {@code CLUSTER NODES}. */
    record ClusterNode(String id, int port, String flags, String masterId, String link, List<Integer> slots) {
        boolean master() {
            return flags.contains("master");
        }

        boolean connected() {
            return "connected".equals(link);
        }

        boolean failing() {
            return flags.contains("fail"); // fail or fail?
        }

        @Override
        public String toString() {
            return port + "[" + flags + (master() ? "" : " of " + masterId.substring(0, Math.min(8, masterId.length())))
                    + ", " + link + ", " + slots.size() + " slots]";
        }
    }

    /** The cluster as the first running node sees it. */
    List<ClusterNode> view() {
        return view(anyRunningPort());
    }

    private static List<ClusterNode> view(int port) {
        String text = ThrowawayRedisCli.text(port, "CLUSTER", "NODES");
        if (text == null) {
            return List.of();
        }
        List<ClusterNode> view = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length < 8) {
                continue;
            }
            String address = fields[1];
            int nodePort = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
            List<Integer> slots = new ArrayList<>();
            for (int i = 8; i < fields.length; i++) {
                String range = fields[i];
                if (range.startsWith("[")) {
                    continue; // a slot being migrated
                }
                int dash = range.indexOf('-');
                int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
                for (int slot = first; slot <= last; slot++) {
                    slots.add(slot);
                }
            }
            view.add(new ClusterNode(fields[0], nodePort, fields[2], fields[3], fields[7], slots));
        }
        return view;
    }

    private List<Integer> runningPorts() {
        return nodes.stream().filter(ThrowawayRedis::isRunning).map(ThrowawayRedis::port).toList();
    }

    private int anyRunningPort() {
        return runningPorts().stream().findFirst()
                .orElseThrow(() -> new AssertionError("No node of the throw-away cluster is running"));
    }

    private ThrowawayRedis node(int port) {
        return nodes.stream().filter(node -> node.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("No node on port " + port));
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
