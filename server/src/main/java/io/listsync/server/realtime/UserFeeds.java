package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventListener;
import io.listsync.broker.Subscription;
import io.listsync.server.channels.Topics;
import io.listsync.server.http.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
        while (true) {
            Feed feed = feeds.computeIfAbsent(socket.userId(), Feed::new);
            if (feed.add(socket)) {
                sockets.add(socket);
                return;
            }
            feeds.remove(socket.userId(), feed);
        }
    }

    void detach(UserSocket socket) {
        sockets.remove(socket);
        String userId = socket.userId();
        Feed feed = userId == null ? null : feeds.get(userId);
        if (feed != null && feed.remove(socket)) {
            feeds.remove(userId, feed);
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

    private final class Feed implements ListEventListener {
        private final String userId;
        private final Set<UserSocket> members = new LinkedHashSet<>(); // guarded by this
        private final Set<String> watched = new HashSet<>(); // guarded by this
        private Subscription subscription;
        private boolean closed;

        Feed(String userId) {
            this.userId = userId;
        }

        synchronized boolean add(UserSocket socket) {
            if (closed) {
                return false;
            }
            if (subscription == null) {
                // the topic first: a list added from now on reaches onEvent, which watches it
                subscription = broker.subscribe(Topics.user(userId), this);
                for (String listId : reads.listsOf(userId)) {
                    watch(listId);
                }
            }
            members.add(socket);
            return true;
        }

        private synchronized void watch(String listId) {
            if (!closed && watched.size() < OverviewReads.MAX_WATCHED_LISTS && watched.add(listId)) {
                watches.watch(listId, userId);
            }
        }

        private synchronized void unwatch(String listId) {
            if (watched.remove(listId)) {
                watches.unwatch(listId, userId);
            }
        }

        /** @return true when it was the last socket: the feed is closed */
        synchronized boolean remove(UserSocket socket) {
            if (!members.remove(socket) || !members.isEmpty() || closed) {
                return false;
            }
            closed = true;
            Subscription s = subscription;
            subscription = null;
            if (s != null) {
                executor.execute(s::close);
            }
            watched.forEach(listId -> watches.unwatch(listId, userId));
            watched.clear();
            return true;
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
            for (UserSocket socket : snapshot()) {
                socket.feed(frame);
            }
        }

        @Override
        public void onDropped(long count) {
            lost();
        }

        void lost() {
            for (UserSocket socket : snapshot()) {
                socket.close(CloseCodes.GOING_AWAY, "missed overview updates; reconnect and refetch");
            }
        }

        private synchronized List<UserSocket> snapshot() {
            return new ArrayList<>(members);
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
