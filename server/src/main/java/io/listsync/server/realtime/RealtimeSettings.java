package io.listsync.server.realtime;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code realtime.*} settings.
 *
 * @param pingInterval   how often the server pings each socket; two unanswered pings close it with 4408
 * @param allowedOrigins browser origins allowed to connect; empty means the server's own origin only
 * @param maxBacklog     frames a socket may have queued before its backlog is replaced by one {@code resync}
 * @param maxFrameBytes  the largest frame a client may send; larger ones close the socket with 1009
 */
public record RealtimeSettings(Duration pingInterval, List<String> allowedOrigins, int maxBacklog,
                               int maxFrameBytes) {

    public static RealtimeSettings from(Config realtime) {
        return new RealtimeSettings(
                realtime.get("ping-interval").as(Duration.class).orElse(Duration.ofSeconds(30)),
                realtime.get("allowed-origins").asString().asOptional()
                        .map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList())
                        .orElse(List.of()),
                realtime.get("max-backlog").asInt().orElse(1000),
                realtime.get("max-frame-bytes").asInt().orElse(16 * 1024));
    }
}
