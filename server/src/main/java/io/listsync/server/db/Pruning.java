package io.listsync.server.db;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Schedules a clean-up of old rows (events, idempotency keys, invites, refresh tokens) on the maintenance thread of
 * every instance; the deletes are idempotent. A round that fails is logged and the next one retries.
 */
public final class Pruning {

    private Pruning() {
    }

    /** Runs {@code prune} first after {@code first}, then {@code every} after each round ends. */
    public static void every(ScheduledExecutorService scheduler, Duration first, Duration every,
                             System.Logger log, String what, Runnable prune) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                prune.run();
            } catch (RuntimeException e) {
                log.log(Level.WARNING, "Pruning " + what + " failed; will retry", e);
            }
        }, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
}
