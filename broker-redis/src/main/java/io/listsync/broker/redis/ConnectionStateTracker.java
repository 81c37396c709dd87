package io.listsync.broker.redis;

import io.listsync.broker.BrokerState;
import io.listsync.broker.BrokerStateListener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Decides whether the Redis broker is {@link BrokerState#UP}: both connections connected and, after every
 * (re)connect of the pub/sub connection, every live channel confirmed subscribed again. Reports each change to
 * the state listeners, in order.
 *
 * <p>Everything here runs on one serial executor (a Lettuce computation thread, never an I/O thread), so the fields
 * need no locks and changes are reported in the order they happened. An epoch counter discards the outcome of a
 * re-subscription that a newer disconnect made stale.
 */
final class ConnectionStateTracker {

    private static final System.Logger LOG = System.getLogger(ConnectionStateTracker.class.getName());
    /** Pause before retrying a re-subscription Redis refused, so a persistent error is no busy loop. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final ScheduledExecutorService serial;
    private final Supplier<CompletionStage<Void>> resubscribeAll;
    private final String description;
    private final List<BrokerStateListener> listeners = new CopyOnWriteArrayList<>();

    private volatile BrokerState state = BrokerState.DOWN;
    private boolean pubSubConnected;
    private boolean publishConnected;
    private boolean resubscribed;
    private long epoch;
    private boolean closed;

    /**
     * @param serial         runs every state change, one at a time
     * @param resubscribeAll subscribes every live channel, completing when Redis confirmed them
     * @param description    names the Redis server in logs
     */
    ConnectionStateTracker(ScheduledExecutorService serial, Supplier<CompletionStage<Void>> resubscribeAll,
                           String description) {
        this.serial = serial;
        this.resubscribeAll = resubscribeAll;
        this.description = description;
    }

    BrokerState state() {
        return state;
    }

    void addListener(BrokerStateListener listener) {
        listeners.add(listener);
    }

    void pubSubConnected() {
        run(() -> {
            pubSubConnected = true;
            resubscribed = false;
            resubscribe(++epoch);
        });
    }

    void pubSubDisconnected() {
        run(() -> {
            pubSubConnected = false;
            resubscribed = false;
            epoch++;
            update();
        });
    }

    void publishConnected(boolean connected) {
        run(() -> {
            publishConnected = connected;
            update();
        });
    }

    /** Stops reporting; the broker is closing. */
    void close() {
        run(() -> {
            closed = true;
            state = BrokerState.DOWN;
        });
    }

    private void resubscribe(long attempt) {
        CompletionStage<Void> confirmed;
        try {
            confirmed = resubscribeAll.get();
        } catch (RuntimeException e) {
            confirmed = CompletableFuture.failedFuture(e);
        }
        confirmed.whenComplete((ignored, failure) -> run(() -> {
            if (attempt != epoch || closed) {
                return; // a newer (dis)connect took over
            }
            if (failure == null) {
                resubscribed = true;
                update();
            } else {
                LOG.log(System.Logger.Level.WARNING, "Re-subscribing the live list channels on " + description
                        + " failed; retrying in " + RETRY_PAUSE, failure);
                serial.schedule(() -> {
                    if (attempt == epoch && !closed) {
                        resubscribe(attempt);
                    }
                }, RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }));
    }

    /** Runs a state change on the serial executor; once the broker's threads are shut down there is none left. */
    private void run(Runnable change) {
        try {
            serial.execute(change);
        } catch (RejectedExecutionException shutDown) {
            LOG.log(System.Logger.Level.DEBUG, "State change after shutdown ignored");
        }
    }

    private void update() {
        if (closed) {
            return;
        }
        BrokerState next = pubSubConnected && resubscribed && publishConnected ? BrokerState.UP : BrokerState.DOWN;
        if (next == state) {
            return;
        }
        state = next;
        LOG.log(next == BrokerState.UP ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "Redis broker is {0} ({1})", next, description);
        for (BrokerStateListener listener : listeners) {
            try {
                listener.onStateChange(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A broker state listener threw on " + next, e);
            }
        }
    }
}
