package io.listsync.server.delivery;

import io.helidon.dbclient.DbExecute;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.server.changes.EventLog;
import io.listsync.server.changes.EventSettings;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes every committed event reach the broker at least once. The fast path publishes right after commit; this
 * class records what the broker acknowledged ({@code lists.published_version}, written in batches off the request
 * path) and, every few seconds, republishes from the event log what is still missing: events of an instance that
 * died between commit and publish, or that the broker refused while it was down. Receivers drop the duplicates
 * this may cause, by version.
 *
 * <p>Every instance runs a relay; when two relay the same gap at once the events are published twice, which is
 * harmless for the same reason.
 */
public final class EventRelay {

    private static final System.Logger LOG = System.getLogger(EventRelay.class.getName());
    /** Lists changed longer ago than this are left to the first pass after a start. */
    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_LISTS_PER_PASS = 500;
    private static final int FLUSH_CHUNK = 500;

    private final Database db;
    private final EventLog log;
    private final ListEventBroker broker;
    private final EventSettings settings;
    private final ConcurrentHashMap<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong relayed = new AtomicLong();
    private volatile boolean firstPass = true;

    EventRelay(Database db, EventLog log, ListEventBroker broker, EventSettings settings) {
        this.db = db;
        this.log = log;
        this.broker = broker;
        this.settings = settings;
    }

    /** Starts the periodic flush of acknowledgements and the relay passes. */
    public void start(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::flushQuietly, 500, 500, TimeUnit.MILLISECONDS);
        long every = settings.relayInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::relayQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** The broker acknowledged this version of the list. */
    void acknowledged(String listId, long version) {
        acknowledged.merge(listId, version, Math::max);
    }

    /** Events republished by this instance since start. */
    public long relayed() {
        return relayed.get();
    }

    /**
     * Writes the acknowledged versions to {@code lists.published_version}: one statement per
     * {@value #FLUSH_CHUNK} lists, not one per list (a busy instance acknowledges hundreds a second).
     */
    void flush() {
        if (acknowledged.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Long>> taken = new ArrayList<>();
        for (Map.Entry<String, Long> entry : acknowledged.entrySet()) {
            if (acknowledged.remove(entry.getKey(), entry.getValue())) {
                taken.add(Map.entry(entry.getKey(), entry.getValue()));
            }
        }
        taken.sort(Map.Entry.comparingByKey()); // rows locked in one order, whoever flushes at once
        try {
            db.inTransaction(tx -> {
                for (int from = 0; from < taken.size(); from += FLUSH_CHUNK) {
                    List<Map.Entry<String, Long>> chunk = taken.subList(from, Math.min(taken.size(), from + FLUSH_CHUNK));
                    Object[] params = new Object[chunk.size() * 2];
                    for (int i = 0; i < chunk.size(); i++) {
                        params[2 * i] = chunk.get(i).getKey();
                        params[2 * i + 1] = chunk.get(i).getValue();
                    }
                    tx.dml("MERGE INTO lists l USING (VALUES "
                            + String.join(", ", Collections.nCopies(chunk.size(),
                                    "(CAST(? AS VARCHAR(36)), CAST(? AS BIGINT))"))
                            + ") AS v(id, ver) ON l.id = v.id "
                            + "WHEN MATCHED AND l.published_version < v.ver THEN UPDATE SET published_version = v.ver",
                            params);
                }
                return null;
            });
        } catch (RuntimeException e) {
            taken.forEach(entry -> acknowledged(entry.getKey(), entry.getValue())); // the next flush tries again
            throw e;
        }
    }

    /**
     * One pass: republishes, in version order, the logged events of lists whose published version lags behind
     * for longer than the grace period.
     */
    public void relay() {
        Instant now = Rows.now();
        Instant settled = now.minus(settings.relayGrace());
        record Lag(String listId, long published, long version) {
        }
        DbExecute read = db.read();
        List<Lag> lagging = Rows.list(read,
                row -> new Lag(Rows.string(row, "id"), Rows.longValue(row, "published_version"),
                        Rows.longValue(row, "version")),
                "SELECT id, published_version, version FROM lists WHERE updated_at < ? AND updated_at > ? "
                        + "AND version > published_version ORDER BY updated_at LIMIT " + MAX_LISTS_PER_PASS,
                Rows.param(settled), Rows.param(firstPass ? Instant.EPOCH : now.minus(WINDOW)));
        firstPass = false;
        for (Lag lag : lagging) {
            List<ListEvent> missing = log.between(read, lag.listId(), lag.published(), lag.version(),
                    (int) Math.min(10_000, lag.version() - lag.published()));
            for (ListEvent event : missing) {
                try {
                    broker.publish(event).toCompletableFuture()
                            .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    LOG.log(Level.DEBUG, "Relay could not publish list " + lag.listId() + " v" + event.version()
                            + " (broker " + broker.state() + "); next pass retries");
                    return;
                }
                relayed.incrementAndGet();
                acknowledged(lag.listId(), event.version());
            }
            if (missing.isEmpty() || missing.getLast().version() < lag.version()) {
                // the log no longer holds them (pruned): nothing left to publish; receivers resync
                acknowledged(lag.listId(), lag.version());
            }
        }
        flush();
        if (!lagging.isEmpty()) {
            LOG.log(Level.INFO, "Relay republished events of " + lagging.size() + " lists");
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Recording published versions failed; will retry", e);
        }
    }

    private void relayQuietly() {
        try {
            relay();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Relay pass failed; will retry", e);
        }
    }
}
