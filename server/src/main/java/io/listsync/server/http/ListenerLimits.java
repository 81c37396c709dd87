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
 * @param idleTimeout       an HTTP connection with no request this long is closed (Helidon's
 *                          {@code idle-connection-timeout}; WebSockets are exempt)
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
     * @param server   the {@code server} config node
     * @param poolSize the database pool's size (connections the process holds besides its clients')
     */
    public static ListenerLimits from(Config server, int poolSize) {
        // WebSockets are exempt (realtime/transport): their keepalive decides when one is dead
        Duration idle = positive(server, "idle-connection-timeout", Duration.ofMinutes(1));
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
