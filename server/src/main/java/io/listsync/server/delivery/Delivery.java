package io.listsync.server.delivery;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.server.changes.ChangePublisher;
import io.listsync.server.changes.EventLog;
import io.listsync.server.changes.EventSettings;
import io.listsync.server.channels.AccessNotice;
import io.listsync.server.db.Database;
import io.listsync.server.http.Json;
import io.listsync.server.lists.AccessNotices;
import io.listsync.server.lists.ListRepository;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one step between a committed transaction and the broker. After commit it publishes each change event (the
 * fast path) and each access notice, and tells the users' overviews who gained or lost a list; its {@link EventRelay} republishes from the
 * event log whatever the broker never acknowledged. Publishing never blocks or fails the REST request: the change is
 * already committed and in the event log, which is where a missed event is recovered from.
 *
 * <p>Nothing here calls back into what called it: {@code changes} and {@code lists} hand it what committed through
 * their ports ({@link ChangePublisher}, {@link AccessNotices}); it hands everything on to the broker.
 */
public final class Delivery implements ChangePublisher, AccessNotices, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

    private final ListEventBroker broker;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Overviews overviews;
    private final EventRelay relay;
    private final Counter published;

    public Delivery(ListEventBroker broker, Database db, EventLog log, EventSettings settings, Json json,
                    MeterRegistry registry, ScheduledExecutorService scheduler) {
        this.broker = broker;
        this.overviews = new Overviews(db, new ListRepository(), broker, json, scheduler, executor);
        this.relay = new EventRelay(db, log, broker, settings);
        this.published = registry.getOrCreate(Counter.builder("listsync.events.published")
                .description("Committed change events handed to the broker"));
        relay.start(scheduler);
    }

    /** The relay, for tests and operations. */
    public EventRelay relay() {
        return relay;
    }

    @Override
    public void publishCommitted(ListEvent event) {
        publish(event).thenRun(() -> relay.acknowledged(event.listId(), event.version()));
        published.increment();
        // no overview work here: instances with the list in an open overview watch its topic themselves
    }

    @Override
    public void memberAdded(String listId, String userId) {
        overviews.added(listId, userId);
    }

    @Override
    public void roleChanged(String listId, String userId) {
        overviews.changed(listId);
    }

    @Override
    public void memberRemoved(String listId, String userId) {
        publish(AccessNotice.encode(new AccessNotice.MemberRemoved(listId, userId)));
        overviews.removed(listId, userId);
    }

    @Override
    public void listDeleted(String listId, List<String> memberIds) {
        publish(AccessNotice.encode(new AccessNotice.ListDeleted(listId)));
        memberIds.forEach(member -> overviews.removed(listId, member));
    }

    private CompletionStage<Void> publish(ListEvent event) {
        try {
            return broker.publish(event).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.log(Level.WARNING, "Publishing " + event.type() + " v" + event.version() + " of list "
                            + event.listId() + " failed (the relay retries change events from the event log): "
                            + failure);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Publishing " + event.type() + " of list " + event.listId() + " failed", e);
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
