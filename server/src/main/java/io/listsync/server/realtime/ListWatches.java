package io.listsync.server.realtime;

import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.server.channels.Topics;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lists this instance's overview users ({@code /api/v1/ws/me}) have, watched where the watchers are: one
 * subscription per list on this instance to the list's own topic, shared by all local users who have the list.
 * A change event marks the list changed; the newest state is read at most once a second per list (the first
 * change of a quiet list at once) and handed to each local watcher's feed as {@code list_changed}.
 *
 * <p>So a write costs nothing extra where nobody has the overview open, and 20 rapid adds cost this instance two
 * reads, not twenty. The frame is the list as each user sees it (their role), read by {@link Reader}.
 */
final class ListWatches {

    private static final System.Logger LOG = System.getLogger(ListWatches.class.getName());
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A user's frame. */
    record Seen(String userId, UserFeeds.Frame frame) {
    }

    /** Reads the state the overview frames carry. */
    interface Reader {
        /** For each of {@code users} who is still a member: their {@code list_changed} frame of the list. */
        List<Seen> changedFrames(String listId, Set<String> users);
    }

    /** Where the frames go: the user's feed on this instance. */
    interface Sink {
        void deliver(String userId, UserFeeds.Frame frame);
    }

    private final ListEventBroker broker;
    private final Reader reader;
    private final Sink sink;
    private final ScheduledExecutorService timer;
    private final Executor executor;
    private final ConcurrentHashMap<String, Watch> watches = new ConcurrentHashMap<>();

    ListWatches(ListEventBroker broker, Reader reader, Sink sink, ScheduledExecutorService timer, Executor executor) {
        this.broker = broker;
        this.reader = reader;
        this.sink = sink;
        this.timer = timer;
        this.executor = executor;
    }

    /** The user watches the list; when this returns, every change committed after it is seen. May block. */
    void watch(String listId, String userId) {
        SharedSubscription.join(watches, listId, Watch::new, userId);
    }

    void unwatch(String listId, String userId) {
        SharedSubscription.leave(watches, listId, userId);
    }

    /** The broker was away: every watched list may have changed unseen. */
    void recover() {
        watches.values().forEach(Watch::changed);
    }

    /** Lists watched on this instance; for metrics and tests. */
    int count() {
        return watches.size();
    }

    /** One list watched here; its members are the local users who have it in an open overview. */
    private final class Watch extends SharedSubscription<String> {
        private final String listId;
        private boolean due; // guarded by this
        private long lastRead = System.nanoTime() - EVERY_NANOS;

        Watch(String listId) {
            super(broker, Topics.list(listId), executor);
            this.listId = listId;
        }

        @Override
        public void onEvent(ListEvent event) {
            if (event.version() > 0) { // version 0: an access notice; the user topic carries the list_removed
                changed();
            }
        }

        @Override
        public void onDropped(long count) {
            changed();
        }

        void changed() {
            long wait;
            synchronized (this) {
                if (due || isClosed()) {
                    return; // a read is scheduled and will see this change
                }
                due = true;
                wait = lastRead + EVERY_NANOS - System.nanoTime();
            }
            if (wait <= 0) {
                executor.execute(this::read);
            } else {
                timer.schedule(() -> executor.execute(this::read), wait, TimeUnit.NANOSECONDS);
            }
        }

        private void read() {
            Set<String> watchers;
            synchronized (this) {
                lastRead = System.nanoTime();
                due = false; // before the read: a change committed from now on schedules the next one
                if (isClosed()) {
                    return;
                }
                watchers = Set.copyOf(members());
            }
            try {
                for (Seen seen : reader.changedFrames(listId, watchers)) {
                    sink.deliver(seen.userId(), seen.frame());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Reading list " + listId + " for list_changed failed", e);
            }
        }
    }
}
