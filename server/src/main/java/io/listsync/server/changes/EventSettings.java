package io.listsync.server.changes;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * {@code events.*} settings: how long the event log keeps history, and how the relay works.
 *
 * @param retainEvents  events kept per list at least, whatever their age (the contract's floor is 1,000)
 * @param retainAge     events younger than this are kept too
 * @param pruneInterval how often old events are deleted
 * @param relayInterval how often the relay looks for committed events that never reached the broker
 * @param relayGrace    how old such a gap must be before the relay steps in (the fast path publishes within
 *                      milliseconds; this keeps the relay from racing it)
 */
public record EventSettings(int retainEvents, Duration retainAge, Duration pruneInterval, Duration relayInterval,
                            Duration relayGrace) {

    public static EventSettings from(Config events) {
        int retain = events.get("retention.min-events").asInt().orElse(1000);
        if (retain < 1000) {
            throw new IllegalStateException("events.retention.min-events must be at least 1000 (the contract's floor)");
        }
        return new EventSettings(retain,
                events.get("retention.max-age").as(Duration.class).orElse(Duration.ofHours(24)),
                events.get("retention.prune-interval").as(Duration.class).orElse(Duration.ofMinutes(10)),
                events.get("relay.interval").as(Duration.class).orElse(Duration.ofSeconds(2)),
                events.get("relay.grace").as(Duration.class).orElse(Duration.ofSeconds(2)));
    }
}
