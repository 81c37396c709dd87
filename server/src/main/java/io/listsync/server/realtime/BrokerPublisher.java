package io.listsync.server.realtime;

import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.server.changes.ChangePublisher;
import io.listsync.server.changes.EventRelay;
import io.listsync.server.http.Json;
import io.listsync.server.lists.AccessNotices;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hands committed changes and access notices to the broker. Publishing never blocks or fails the REST request:
 * the change is already committed and in the event log, which is where a missed event is recovered from.
 */
public final class BrokerPublisher implements ChangePublisher, AccessNotices {

    private static final System.Logger LOG = System.getLogger(BrokerPublisher.class.getName());

    /** Control message: a member lost access; carries {@code userId}. Never sent to clients as is. */
    public static final String MEMBER_REMOVED = "_member_removed";
    /** Control message: the list was deleted. */
    public static final String LIST_DELETED = "_list_deleted";

    private final ListEventBroker broker;
    private final Json json;
    private final EventRelay relay;
    private final Runnable onPublished;

    /**
     * @param relay       learns which versions the broker acknowledged, and republishes the others
     * @param onPublished counts each committed event handed over
     */
    public BrokerPublisher(ListEventBroker broker, Json json, EventRelay relay, Runnable onPublished) {
        this.broker = broker;
        this.json = json;
        this.relay = relay;
        this.onPublished = onPublished;
    }

    @Override
    public void publishCommitted(ListEvent event) {
        publish(event).thenRun(() -> relay.acknowledged(event.listId(), event.version()));
        onPublished.run();
    }

    @Override
    public void memberRemoved(String listId, String userId) {
        publish(new ListEvent(listId, MEMBER_REMOVED, 0, json.write(Map.of("userId", userId))));
    }

    @Override
    public void listDeleted(String listId) {
        publish(new ListEvent(listId, LIST_DELETED, 0, "{}"));
    }

    private CompletionStage<Void> publish(ListEvent event) {
        try {
            return broker.publish(event).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.log(Level.WARNING, "Publishing " + event.type() + " v" + event.version() + " of list "
                            + event.listId() + " failed (the relay retries from the event log): " + failure);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Publishing " + event.type() + " of list " + event.listId() + " failed", e);
            return CompletableFuture.failedFuture(e);
        }
    }
}
