package io.listsync.server.warmup;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the connection path hot before the server takes its first client: a private web server on a loopback port,
 * with the socket kind, HTTP/1 settings and WebSocket transport of the real one, takes {@code connections} short
 * connections from a {@link LoopbackClient} (a request, an upgrade, a frame each way, a close), then stops.
 *
 * <p>Why: a connection's thread keeps the frames it was started with for as long as the connection lives. A WebSocket
 * opened while the JIT has not yet compiled Helidon's connection loop runs in interpreted frames, which hold the
 * upgrade request and its response alive (dead locals the compiled code drops) and take stack chunks twice the size:
 * about 8 KiB more heap per socket, for the socket's whole life. After a deploy every client reconnects to a fresh
 * process at once, so without this the sockets of a reconnect storm all pay it.
 *
 * <p>It touches nothing of the server's own: no database, no broker, no metrics, no access log (the private server
 * has none of them). It never fails a start: a warm-up that goes wrong is logged and the server starts cold.
 * {@code server.warm-up-connections} sets how many ({@code 0}: none); it stops at {@link #TIME_LIMIT} whatever it
 * has done by then.
 */
public final class ConnectionWarmUp {

    private static final System.Logger LOG = System.getLogger(ConnectionWarmUp.class.getName());
    private static final Duration TIME_LIMIT = Duration.ofSeconds(15);
    private static final String HTTP_PATH = "/warm-up";
    private static final String WS_PATH = "/warm-up/ws";
    private static final int PARALLEL = 16;

    private ConnectionWarmUp() {
    }

    /** What a warm-up did. */
    public record Report(int port, int completed, int failed, Duration took) {
    }

    /**
     * Warms up as {@code server.warm-up-connections} says.
     *
     * @param server the {@code server} config node the real listener is built from
     */
    public static Report run(Config server) {
        return run(server, server.get("warm-up-connections").asInt().orElse(2000));
    }

    /** Runs {@code connections} connections through a private server built from the {@code server} config node. */
    public static Report run(Config server, int connections) {
        if (connections <= 0) {
            return new Report(-1, 0, 0, Duration.ZERO);
        }
        Instant start = Instant.now();
        LOG.log(Level.INFO, "Warming the connection path with " + connections + " loopback connections to a private "
                + "server before the listener opens (server.warm-up-connections)");
        WebServer warmUp;
        try {
            warmUp = privateServer(server);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The connection warm-up could not start its private server; starting cold", e);
            return new Report(-1, 0, connections, Duration.ZERO);
        }
        int port = warmUp.port(); // -1 once stopped
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try {
            LoopbackClient client = new LoopbackClient(port, HTTP_PATH, WS_PATH);
            Instant deadline = start.plus(TIME_LIMIT);
            // The first connection goes alone: Helidon's shared header constants build their value lists on first
            // use without a lock (HeaderValueSingle.allValues), and two first upgrades at once can trip over each
            // other (a ConcurrentModificationException in WsUpgrader, seen in CI). Built once here, they are built
            // for the real listener too.
            Runnable connectOnce = () -> (client.connectOnce() ? completed : failed).incrementAndGet();
            connectOnce.run();
            AtomicInteger next = new AtomicInteger(1);
            try (ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int lane = 0; lane < PARALLEL; lane++) {
                    lanes.submit(() -> {
                        while (next.getAndIncrement() < connections && Instant.now().isBefore(deadline)) {
                            connectOnce.run();
                        }
                    });
                }
            }
        } finally {
            try {
                warmUp.stop();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The connection warm-up's private server did not stop cleanly", e);
            }
        }
        Report report = new Report(port, completed.get(), failed.get(), Duration.between(start, Instant.now()));
        LOG.log(failed.get() == 0 ? Level.INFO : Level.WARNING, "Warmed the connection path: " + report.completed()
                + " of " + connections + " connections in " + report.took().toMillis() + " ms"
                + (failed.get() == 0 ? "" : ", " + failed.get() + " failed") + "; its private server is stopped");
        return report;
    }

    /**
     * The settings that shape the real listener's connection path (the kind of socket, HTTP/1 parsing, the WebSocket
     * transport, which Helidon finds as the real listener does), on a loopback port of its own, with one echoing
     * endpoint. Not the whole {@code server} node: it may name TLS or further listeners, which are not the private
     * server's to open.
     */
    private static WebServer privateServer(Config server) {
        return WebServer.builder()
                .useNio(server.get("use-nio").asBoolean().orElse(true))
                .port(0)
                .host(InetAddress.getLoopbackAddress().getHostAddress()) // where the client connects
                .featuresDiscoverServices(false)
                .addProtocol(Http1Config.builder().config(server.get("protocols.http_1_1")).name("http_1_1").build())
                .addProtocol(WsConfig.builder().name("websocket").build())
                .routing(routing -> routing.get(HTTP_PATH, (req, res) -> res.send("warm")))
                .addRouting(WsRouting.builder().endpoint(WS_PATH, new Echo()))
                .build()
                .start();
    }

    /** Sends each text frame back; Helidon answers the close. */
    private static final class Echo implements WsListener {
        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            session.send(text, last);
        }
    }
}
