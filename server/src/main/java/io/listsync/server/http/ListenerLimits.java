package io.listsync.server.http;

import io.helidon.config.Config;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * How long the HTTP listener waits for clients and how many connections it holds, from the {@code server} config.
 *
 * <p>{@code server.max-tcp-connections} defaults to the process's file-descriptor limit minus what the rest of the
 * server needs. Helidon acquires a permit before each {@code accept}; without a limit, a flood of connections makes
 * {@code accept} fail with "Too many open files", which ends Helidon's accept loop for good (the process stays up,
 * every later connection is refused). With the limit, connections beyond it wait in the kernel's backlog until a
 * permit is free, and idle ones are closed after {@code server.idle-connection-timeout}.
 *
 * @param idleTimeout       a connection with no request (or a WebSocket with no frame from the client) this long
 *                          is closed (Helidon's {@code idle-connection-timeout})
 * @param idlePeriod        how often connections are checked for that (Helidon's {@code idle-connection-period})
 * @param headerTimeout     the request headers must arrive within this of the request line
 * @param bodyTimeout       a request body must arrive within this once the handler reads it
 * @param maxTcpConnections connections the listener holds at once (Helidon's {@code max-tcp-connections})
 */
public record ListenerLimits(Duration idleTimeout, Duration idlePeriod, Duration headerTimeout,
                             Duration bodyTimeout, int maxTcpConnections) {

    private static final System.Logger LOG = System.getLogger(ListenerLimits.class.getName());
    /**
     * Descriptors kept for everything but client connections: the class path's jars, the database pool and files,
     * the broker, logs. A running server with a full pool holds about 150.
     */
    static final int RESERVED_DESCRIPTORS = 256;

    /**
     * @param server       the {@code server} config node
     * @param pingInterval the WebSocket ping interval: a healthy socket answers each ping, so it is never idle
     *                     longer than that, and the idle timeout must stay above it
     */
    public static ListenerLimits from(Config server, Duration pingInterval, int poolSize) {
        // a healthy WebSocket sends a frame (its pong) every ping interval; idle for longer, it is gone
        Duration idle = server.get("idle-connection-timeout").as(Duration.class).asOptional()
                .orElseGet(() -> max(Duration.ofMinutes(1), pingInterval.multipliedBy(2)));
        if (idle.compareTo(pingInterval.multipliedBy(2)) < 0) {
            throw new IllegalStateException("server.idle-connection-timeout (" + idle + ") must be at least twice "
                    + "realtime.ping-interval (" + pingInterval + "): WebSockets are idle between pings");
        }
        // Helidon checks every 2 minutes by default, which would keep an idle connection up to 3 minutes
        Duration period = server.get("idle-connection-period").as(Duration.class).orElseGet(() ->
                max(Duration.ofMillis(100), min(Duration.ofSeconds(10), idle.dividedBy(6))));
        Duration header = positive(server, "request-header-timeout", Duration.ofSeconds(20));
        Duration body = positive(server, "request-body-timeout", Duration.ofSeconds(30));
        Optional<Long> descriptors = descriptorLimit();
        int reserve = RESERVED_DESCRIPTORS + poolSize;
        int max = server.get("max-tcp-connections").asInt().asOptional()
                .filter(n -> n > 0)
                .map(n -> {
                    descriptors.filter(limit -> n > limit - reserve).ifPresent(limit -> LOG.log(
                            System.Logger.Level.WARNING, "server.max-tcp-connections is " + n + " but the process may "
                                    + "open only " + limit + " files: raise the limit (ulimit -n, LimitNOFILE) or the "
                                    + "listener stops accepting for good when it runs out"));
                    return n;
                })
                .orElseGet(() -> descriptors.map(limit -> (int) Math.max(16, Math.min(Integer.MAX_VALUE, limit - reserve)))
                        .orElse(-1));
        return new ListenerLimits(idle, period, header, body, max);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration positive(Config server, String key, Duration fallback) {
        Duration value = server.get(key).as(Duration.class).orElse(fallback);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalStateException("server." + key + " must be a positive duration, not " + value);
        }
        return value;
    }

    /** The process's limit on open files, where the platform tells it. */
    private static Optional<Long> descriptorLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            return max > 0 ? Optional.of(max) : Optional.empty();
        }
        return Optional.empty();
    }
}
