package io.listsync.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@code redis-server} of the test's own on a free local port, without persistence, that the test may kill and
 * start again on the same port (a Redis restart) without disturbing the shared Redis. Shipped in this module's
 * test-jar for the server's failure tests.
 */
public final class ThrowawayRedis implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final int port;
    private final List<String> leadingArguments;
    private final List<String> extraArguments;
    private final boolean tls;
    private Process process;

    private ThrowawayRedis(int port, List<String> leadingArguments, List<String> extraArguments, boolean tls) {
        this.port = port;
        this.leadingArguments = leadingArguments;
        this.extraArguments = extraArguments;
        this.tls = tls;
    }

    /** A plain Redis. */
    public static ThrowawayRedis start() {
        ThrowawayRedis redis = reserve();
        redis.startAgain();
        return redis;
    }

    /**
     * A free port for a plain Redis that is not started yet: a Redis that is not there when a broker or a server
     * starts. {@link #startAgain()} starts it.
     */
    public static ThrowawayRedis reserve() {
        return reserve(List.of(), List.of());
    }

    /**
     * A Redis on a free port, not started yet, run as {@code redis-server <leading> --port <port> ... <extra>}: for
     * cluster nodes and sentinels.
     */
    static ThrowawayRedis reserve(List<String> leadingArguments, List<String> extraArguments) {
        return new ThrowawayRedis(freePort(), List.copyOf(leadingArguments), List.copyOf(extraArguments), false);
    }

    /** Like {@link #reserve(List, List)} on a given port. */
    static ThrowawayRedis reserve(int port, List<String> leadingArguments, List<String> extraArguments) {
        return new ThrowawayRedis(port, List.copyOf(leadingArguments), List.copyOf(extraArguments), false);
    }

    /** A Redis that speaks only TLS, with the given certificate, key and CA files. */
    public static ThrowawayRedis startTls(Path cert, Path key, Path ca) {
        ThrowawayRedis redis = new ThrowawayRedis(freePort(), List.of(), List.of("--tls-cert-file", cert.toString(),
                "--tls-key-file", key.toString(), "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no"),
                true);
        redis.startAgain();
        return redis;
    }

    public String uri() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the server (again) on the same port and waits until it accepts connections. */
    public void startAgain() {
        startAgain(List.of());
    }

    /** Like {@link #startAgain()} with more {@code redis-server} options ({@code --requirepass ...}). */
    public void startAgain(List<String> moreArguments) {
        List<String> command = new ArrayList<>(List.of("redis-server"));
        command.addAll(leadingArguments);
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"));
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
        } else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        command.addAll(extraArguments);
        command.addAll(moreArguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("Cannot start redis-server: " + command, e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!accepting()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("redis-server did not start on port " + port + ": " + command);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Whether the server process is running. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The server's process id (while it runs). */
    public long pid() {
        return process.pid();
    }

    /** Kills the server at once (SIGKILL), as a crash would, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("redis-server on port " + port + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            if (tls) {
                return true; // the TCP accept is enough: Lettuce does the handshake
            }
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.readNBytes(reply, 0, 7);
            String answer = new String(reply, 0, read, StandardCharsets.US_ASCII);
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH"); // up, with a password
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * A free port below Linux's ephemeral range (32768 and up), so that while this Redis is down for a restart no
     * outgoing connection of the test can be given its port.
     */
    static int freePort() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            if (!GIVEN.add(port)) {
                continue; // handed out before in this JVM (maybe to a server that is down right now)
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new AssertionError("No free port in 20000-32000");
    }
}
