package io.listsync.server.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition, never for a fixed time.
 */
public final class Await {

    private Await() {
    }

    /**
     * Waits until nothing holds the referents any more: a garbage collection runs between the checks, so a
     * reference still set after {@code timeout} means something keeps its object reachable.
     */
    public static void collected(java.util.Collection<? extends java.lang.ref.Reference<?>> references,
                                 Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            System.gc();
            long left = references.stream().filter(r -> r.get() != null).count();
            if (left == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(left + " of " + references.size() + " objects still reachable after "
                        + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public static void until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
