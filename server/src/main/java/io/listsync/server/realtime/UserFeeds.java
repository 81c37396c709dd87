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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The registry of this instance's user sockets: one feed per user with at least one socket here, each holding the
 * one broker subscription to that user's topic that all of the user's tabs share (never one per socket). A feed
 * parses each frame once and hands it to its sockets.
 *
 * <p>A feed that lost frames (its subscription dropped some, or the broker was away) cannot tell which: it closes
 * its sockets with 1001, and the clients reconnect and refetch {@code GET /api/v1/lists}, as the contract says.
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
    private final ConcurrentHashMap<String, Feed> feeds = new ConcurrentHashMap<>();
    private final Set<UserSocket> sockets = ConcurrentHashMap.newKeySet();

    UserFeeds(ListEventBroker broker, Json json, Executor executor) {
        this.broker = broker;
        this.json = json;
        this.executor = executor;
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

    /** The broker was away: every feed may have missed frames. */
    void recover() {
        feeds.values().forEach(Feed::lost);
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
                subscription = broker.subscribe(Topics.user(userId), this);
            }
            members.add(socket);
            return true;
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
            return true;
        }

        @Override
        public void onEvent(ListEvent event) {
            Frame frame = parse(event);
            if (frame == null) {
                return;
            }
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
