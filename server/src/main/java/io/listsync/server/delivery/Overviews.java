package io.listsync.server.delivery;

import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.server.channels.OverviewFrame;
import io.listsync.server.channels.Topics;
import io.listsync.server.db.Database;
import io.listsync.server.http.Json;
import io.listsync.server.lists.ListRepository;
import io.listsync.server.lists.ListView;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the users' overview frames ({@code /api/v1/ws/me}) that only the writer can know of on each member's
 * user topic: {@code list_added}, {@code list_removed}, and {@code list_changed} when a member's role changed
 * (with the list as that member sees it). A list's other changes are not published here: the instances where
 * someone has the list in an open overview watch the list's own topic and read its newest state themselves
 * ({@code realtime.ListWatches}), so a write costs nothing extra for overviews.
 *
 * <p>{@code list_changed} is coalesced per list on this instance: at most one read a second.
 *
 * <p>Best effort like every pub/sub message; a client that missed one reconnects and refetches.
 */
final class Overviews {

    private static final System.Logger LOG = System.getLogger(Overviews.class.getName());
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final String LIST_ADDED = "list_added";
    static final String LIST_REMOVED = "list_removed";
    static final String LIST_CHANGED = "list_changed";

    private record Removed(String id) {
    }

    private final Database db;
    private final ListRepository lists;
    private final ListEventBroker broker;
    private final Json json;
    private final ScheduledExecutorService timer;
    private final Executor executor;
    private final Set<String> due = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lastRead = new ConcurrentHashMap<>();

    Overviews(Database db, ListRepository lists, ListEventBroker broker, Json json, ScheduledExecutorService timer,
              Executor executor) {
        this.db = db;
        this.lists = lists;
        this.broker = broker;
        this.json = json;
        this.timer = timer;
        this.executor = executor;
        timer.scheduleWithFixedDelay(this::forgetQuiet, 10, 10, TimeUnit.SECONDS);
    }

    /** The user gained the list. */
    void added(String listId, String userId) {
        executor.execute(() -> {
            try {
                lists.find(db.read(), listId, userId).ifPresent(view -> publish(userId, LIST_ADDED, view));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Reading list " + listId + " for a list_added failed", e);
            }
        });
    }

    /** The user lost the list. */
    void removed(String listId, String userId) {
        publish(userId, LIST_REMOVED, 0, json.write(new OverviewFrame(LIST_REMOVED, new Removed(listId))));
    }

    /** The list's name, version, counts or a role changed: each member's overview gets the newest state. */
    void changed(String listId) {
        if (!due.add(listId)) {
            return; // a read is scheduled and will see this change
        }
        long wait = lastRead.getOrDefault(listId, Long.MIN_VALUE / 2) + EVERY_NANOS - System.nanoTime();
        if (wait <= 0) {
            executor.execute(() -> read(listId));
        } else {
            timer.schedule(() -> executor.execute(() -> read(listId)), wait, TimeUnit.NANOSECONDS);
        }
    }

    private void read(String listId) {
        lastRead.put(listId, System.nanoTime());
        due.remove(listId); // before the read: a change committed from now on schedules the next one
        try {
            for (ListRepository.Seen seen : lists.forMembers(db.read(), listId)) {
                publish(seen.userId(), LIST_CHANGED, seen.list());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reading list " + listId + " for list_changed failed", e);
        }
    }

    private void publish(String userId, String type, ListView view) {
        publish(userId, type, view.version(), json.write(new OverviewFrame(type, view)));
    }

    private void publish(String userId, String type, long version, String frame) {
        try {
            broker.publish(new ListEvent(Topics.user(userId), type, version, frame))
                    .exceptionally(failure -> null); // overviews refetch after a reconnect
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Publishing " + type + " failed: " + e);
        }
    }

    private void forgetQuiet() {
        long now = System.nanoTime();
        lastRead.values().removeIf(at -> now - at > EVERY_NANOS * 2);
    }
}
