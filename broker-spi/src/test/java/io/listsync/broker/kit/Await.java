package io.listsync.broker.kit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a bounded timeout. The pause between checks is only pacing; the condition decides.
 */
public final class Await {

    private static final long PAUSE_NANOS = Duration.ofMillis(2).toNanos();

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds.
     *
     * @param what describes the condition, for the failure message ("every subscriber has 10 events")
     * @throws AssertionError when it does not hold within {@code timeout}
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, () -> what, condition);
    }

    /**
     * Like {@link #until(Duration, String, BooleanSupplier)}, with a message computed on failure, so it can show
     * the state that was reached.
     */
    public static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting until " + what.get());
            }
            LockSupport.parkNanos(PAUSE_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting until " + what.get());
            }
        }
    }
}
