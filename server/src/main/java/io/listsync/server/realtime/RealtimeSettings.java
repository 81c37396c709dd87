package io.listsync.server.realtime;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code realtime.*} settings.
 *
 * @param pingInterval         how often the server pings each socket; two unanswered pings close it with 4408
 * @param allowedOrigins       browser origins allowed to connect; empty means the server's own origin only
 * @param maxBacklog           frames a socket may have queued before its backlog is replaced by one {@code resync}
 * @param maxFrameBytes        the largest frame a client may send; larger ones close the socket with 1009
 * @param maxSocketsPerUser    open sockets one user may hold on this instance (0: no cap); more close with 1013
 * @param maxSocketsPerAddress open sockets one client address may hold on this instance (0: no cap)
 * @param closeTimeout         how long a socket the server closed may take to answer the close frame before its
 *                             connection is dropped
 * @param trustedProxies       proxies whose {@code X-Forwarded-For} names the client (addresses or blocks)
 */
public record RealtimeSettings(Duration pingInterval, List<String> allowedOrigins, int maxBacklog,
                               int maxFrameBytes, int maxSocketsPerUser, int maxSocketsPerAddress,
                               Duration closeTimeout, List<String> trustedProxies) {

    public RealtimeSettings {
        if (maxSocketsPerUser < 0 || maxSocketsPerAddress < 0) {
            throw new IllegalArgumentException("realtime.max-sockets-per-user and realtime.max-sockets-per-address "
                    + "must be 0 (no cap) or more; got " + maxSocketsPerUser + " and " + maxSocketsPerAddress);
        }
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("realtime.close-timeout must be positive; got " + closeTimeout);
        }
    }

    public static RealtimeSettings from(Config realtime) {
        return new RealtimeSettings(
                realtime.get("ping-interval").as(Duration.class).orElse(Duration.ofSeconds(30)),
                list(realtime.get("allowed-origins").asString().orElse("")),
                realtime.get("max-backlog").asInt().orElse(1000),
                realtime.get("max-frame-bytes").asInt().orElse(16 * 1024),
                realtime.get("max-sockets-per-user").asInt().orElse(64),
                realtime.get("max-sockets-per-address").asInt().orElse(256),
                realtime.get("close-timeout").as(Duration.class).orElse(Duration.ofSeconds(5)),
                list(realtime.get("trusted-proxies").asString().orElse("127.0.0.0/8,::1")));
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList();
    }
}
