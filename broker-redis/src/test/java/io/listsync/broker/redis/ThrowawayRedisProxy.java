package io.listsync.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a Redis, on a free local port, that can make pub/sub connections silently deaf: after
 * {@link #freezeSubscribers()} it stops passing bytes on every connection that subscribes (whatever it sent or is
 * sent), without closing it, as a network that drops a connection's packets would. The connection still looks open
 * to both ends. {@link #thaw()} lets bytes through again. Other connections (publishing) are never held.
 */
public final class ThrowawayRedisProxy implements AutoCloseable {

    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean closed;

    private ThrowawayRedisProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", ThrowawayRedis.freePort()));
        Thread.ofVirtual().name("throwaway-redis-proxy-accept").start(this::accept);
    }

    /** A proxy to the Redis on 127.0.0.1:{@code targetPort}. */
    public static ThrowawayRedisProxy to(int targetPort) {
        try {
            return new ThrowawayRedisProxy(targetPort);
        } catch (IOException e) {
            throw new AssertionError("Cannot start the proxy", e);
        }
    }

    /** {@code redis://127.0.0.1:<proxy port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** From now on, bytes of subscribing connections are held (in both directions) until {@link #thaw()}. */
    public void freezeSubscribers() {
        frozen = true;
    }

    /** Lets every byte through again. */
    public void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress("127.0.0.1", targetPort), 5_000);
                sockets.add(client);
                sockets.add(upstream);
                boolean[] subscriber = {false};
                Thread.ofVirtual().start(() -> pump(client, upstream, subscriber, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, subscriber, false));
            } catch (IOException e) {
                if (!closed) {
                    // a client that went away while connecting; keep accepting
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean[] subscriber, boolean fromClient) {
        byte[] buffer = new byte[16_384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (fromClient && !subscriber[0] && new String(buffer, 0, read, StandardCharsets.ISO_8859_1)
                        .toUpperCase(Locale.ROOT).contains("SUBSCRIBE")) {
                    subscriber[0] = true;
                }
                if (subscriber[0]) {
                    holdWhileFrozen();
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void holdWhileFrozen() throws InterruptedException {
        synchronized (gate) {
            while (frozen && !closed) {
                gate.wait();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thaw();
        closeQuietly(server);
        sockets.forEach(ThrowawayRedisProxy::closeQuietly);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
