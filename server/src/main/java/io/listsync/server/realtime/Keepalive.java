package io.listsync.server.realtime;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The sockets' clocks, on one timer thread: the pings of every open socket of every endpoint, each socket's token
 * expiry, and the deadline of a close the client does not answer.
 *
 * <p>Pings go out in {@value #SLICES} slices per interval: each socket is pinged once per interval but never all at
 * once (pinging 20,000 sockets in one instant, and parsing their 20,000 pongs, delayed events by ~0.9 s).
 */
final class Keepalive implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Keepalive.class.getName());
    private static final int SLICES = 30;

    /** A socket as the keepalive sees it. */
    interface Pinged {
        /** One ping interval passed for this socket: ping it, or close it after two unanswered pings. */
        void keepalive();
    }

    private final Set<Pinged> sockets = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer = newTimer();
    private long ticks; // only the timer thread

    Keepalive(Duration pingInterval) {
        long tick = Math.max(1, pingInterval.toMillis() / SLICES);
        timer.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    void add(Pinged socket) {
        sockets.add(socket);
    }

    void remove(Pinged socket) {
        sockets.remove(socket);
    }

    /** Runs {@code expired} (on the timer thread; it must not block) once the token expires. */
    ScheduledFuture<?> expireAt(Instant expiresAt, Runnable expired) {
        // rounded up and a millisecond late rather than early: the token is valid until its exp, and the timer's
        // clock is not the wall clock the exp was written in
        long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toNanos()) + 1_000_000;
        return timer.schedule(expired, delay, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code drop} on {@code executor} after {@code timeout}, unless cancelled first. */
    ScheduledFuture<?> deadline(Duration timeout, Executor executor, Runnable drop) {
        return timer.schedule(() -> executor.execute(drop), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The timer, for the channels' and presence's own short delays (nothing scheduled on it may block). */
    ScheduledExecutorService timer() {
        return timer;
    }

    static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    private void tick() {
        try {
            int slice = (int) (ticks++ % SLICES);
            sockets.forEach(socket -> {
                if (Math.floorMod(System.identityHashCode(socket), SLICES) == slice) {
                    socket.keepalive();
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Keepalive tick failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /**
     * Cancelled tasks leave the queue at once: by default a cancelled token expiry would stay queued (holding its
     * socket) until the token's expiry time.
     */
    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("listsync-realtime-timer").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
