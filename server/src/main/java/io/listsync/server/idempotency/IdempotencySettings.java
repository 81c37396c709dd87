package io.listsync.server.idempotency;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * {@code idempotency.*} settings.
 *
 * @param retention     keys are kept at least this long (contract: 24 hours)
 * @param pruneInterval how often keys older than that are deleted
 */
public record IdempotencySettings(Duration retention, Duration pruneInterval) {

    public static IdempotencySettings from(Config idempotency) {
        Duration retention = idempotency.get("retention").as(Duration.class).orElse(Duration.ofHours(24));
        Duration prune = idempotency.get("prune-interval").as(Duration.class).orElse(Duration.ofMinutes(10));
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalStateException("idempotency.retention must be a positive duration, e.g. PT24H");
        }
        if (prune.isNegative() || prune.isZero()) {
            throw new IllegalStateException("idempotency.prune-interval must be a positive duration, e.g. PT10M");
        }
        return new IdempotencySettings(retention, prune);
    }
}
