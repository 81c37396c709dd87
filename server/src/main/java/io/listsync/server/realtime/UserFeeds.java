package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.server.channels.Topics;
import io.listsync.server.http.Json;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The registry of this instance's user sockets: one feed per user with at least one socket here, each holding the
 * one broker subscription to that user's topic that all of the user's tabs share (never one per socket). A feed
 * parses each frame once and hands it to its sockets.
 *
 * <p>{@code list_added} and {@code list_removed} come on the user's topic (a member was added or removed, a list
 * deleted). {@code list_changed} is made here: the feed watches each of the user's lists ({@link ListWatches}), on
 * its own topic, so writers publish nothing for overviews and the newest state is read where someone looks.
 *
 * <p>A feed that lost frames of its topic (its subscription dropped some, or the broker was away) cannot tell
 * which: it closes its sockets with 1001, and the clients reconnect and refetch {@code GET /api/v1/lists}, as the
 * contract says. A watch that lost events just reads its list again.
 */
final class UserFeeds {

    static final String LIST_ADDED = "list_added";
    static final String LIST_REMOVED = "list_removed";
    static final String LIST_CHANGED = "list_changed";

    /** One overview frame, as received: its text goes to the sockets unchanged. */
    record Frame(String type, String listId, long version, String text) {
    }

    private final ListEventBroker broker;
    private final Json json;
    private final Executor executor;
    private final OverviewReads reads;
    private final ListWatches watches;
    private final ConcurrentHashMap<String, Feed> feeds = new ConcurrentHashMap<>();
    private final Set<UserSocket> sockets = ConcurrentHashMap.newKeySet();

    UserFeeds(ListEventBroker broker, Json json, Executor executor, OverviewReads reads,
              ScheduledExecutorService timer) {
        this.broker = broker;
        this.json = json;
        this.executor = executor;
        this.reads = reads;
        this.watches = new ListWatches(broker, reads, this::deliver, timer, executor);
    }

    /** Adds the socket to its user's feed; when this returns, every frame published after it reaches the socket. */
    void attach(UserSocket socket) {
        SharedSubscription.join(feeds, socket.userId(), Feed::new, socket);
        sockets.add(socket);
    }

    void detach(UserSocket socket) {
        sockets.remove(socket);
        if (socket.userId() != null) {
            SharedSubscription.leave(feeds, socket.userId(), socket);
        }
    }

    /** The broker was away: every feed may have missed frames, every watched list changes. */
    void recover() {
        feeds.values().forEach(Feed::lost);
        watches.recover();
    }

    /** Lists watched for overviews on this instance. */
    int watchedLists() {
        return watches.count();
    }

    private void deliver(String userId, Frame frame) {
        Feed feed = feeds.get(userId);
        if (feed != null) {
            feed.onFrame(frame);
        }
    }

    int openSockets() {
        return sockets.size();
    }

    List<UserSocket> sockets() {
        return List.copyOf(sockets);
    }

    /** One user's feed here; its members are the user's sockets on this instance. */
    private final class Feed extends SharedSubscription<UserSocket> {
        private final String userId;
        private final Set<String> watched = new HashSet<>(); // guarded by this

        Feed(String userId) {
            super(broker, Topics.user(userId), executor);
            this.userId = userId;
        }

        /** Subscribed to the user's topic: a list added from now on reaches onEvent, which watches it. */
        @Override
        void opened() {
            for (String listId : reads.listsOf(userId)) {
                watch(listId);
            }
        }

        @Override
        void closed() {
            watched.forEach(listId -> watches.unwatch(listId, userId));
            watched.clear();
        }

        private synchronized void watch(String listId) {
            if (!isClosed() && watched.size() < OverviewReads.MAX_WATCHED_LISTS && watched.add(listId)) {
                watches.watch(listId, userId);
            }
        }

        private synchronized void unwatch(String listId) {
            if (watched.remove(listId)) {
                watches.unwatch(listId, userId);
            }
        }

        @Override
        public void onEvent(ListEvent event) {
            Frame frame = parse(event);
            if (frame == null) {
                return;
            }
            switch (frame.type()) {
                case LIST_ADDED -> executor.execute(() -> watch(frame.listId())); // subscribing blocks
                case LIST_REMOVED -> executor.execute(() -> unwatch(frame.listId()));
                default -> {
                }
            }
            onFrame(frame);
        }

        void onFrame(Frame frame) {
            for (UserSocket socket : members()) {
                socket.feed(frame);
            }
        }

        @Override
        public void onDropped(long count) {
            lost();
        }

        void lost() {
            for (UserSocket socket : members()) {
                socket.close(CloseCodes.GOING_AWAY, "missed overview updates; reconnect and refetch");
            }
        }

        private Frame parse(ListEvent event) {
            try {
                JsonNode data = json.mapper().readTree(event.payload()).path("data");
                String listId = data.path("id").asText(null);
                return listId == null ? null : new Frame(event.type(), listId, event.version(), event.payload());
            } catch (IOException e) {
                return null;
            }
        }
    }
}
