package io.listsync.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts attempts per key in fixed windows. Memory is bounded: windows that ended are swept once the map grows.
 */
public final class RateLimiter {

    private static final int SWEEP_THRESHOLD = 10_000;

    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long start, int count) {
    }

    /**
     * @param limit  attempts allowed per key per window
     * @param window the window length
     */
    public RateLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /**
     * Counts one attempt.
     *
     * @return empty when allowed; otherwise the seconds until the key's window ends
     */
    public OptionalLong acquire(String key) {
        long now = clock.millis();
        sweepIfLarge(now);
        Window window = windows.compute(key, (k, w) ->
                w == null || now - w.start >= windowMillis ? new Window(now, 1) : new Window(w.start, w.count + 1));
        if (window.count <= limit) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (window.start + windowMillis - now + 999) / 1000));
    }

    /** Whether the key is over its limit, without counting an attempt. */
    public OptionalLong check(String key) {
        long now = clock.millis();
        Window w = windows.get(key);
        if (w == null || now - w.start >= windowMillis || w.count < limit) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (w.start + windowMillis - now + 999) / 1000));
    }

    public void reset(String key) {
        windows.remove(key);
    }

    private void sweepIfLarge(long now) {
        if (windows.size() > SWEEP_THRESHOLD) {
            windows.values().removeIf(w -> now - w.start >= windowMillis);
        }
    }
}
