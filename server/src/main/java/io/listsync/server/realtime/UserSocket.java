package io.listsync.server.realtime;

import io.helidon.http.HttpPrologue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One client's socket on {@code /api/v1/ws/me}: the live overview of the user's lists. The protocol is the
 * {@link ClientSocket}'s; its frames come from the user's {@link UserFeeds feed}. {@code list_changed} is coalesced
 * here, per list: at most one a second, always the newest state (the first at once, the rest at the end of the
 * second); {@code list_added} and {@code list_removed} go out at once, and a removal drops the list's pending change.
 */
final class UserSocket extends ClientSocket {

    /** The route. */
    static final String PATH = "/api/v1/ws/me";
    static final long CHANGE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Lifecycle<UserSocket> lifecycle;
    private final ScheduledExecutorService timer;
    /** Per list: when its last {@code list_changed} went out, and the one waiting for the end of that second. */
    private final Map<String, Changes> changes = new HashMap<>(); // guarded by this

    private static final class Changes {
        long sentAt;
        String waiting;
        long waitingVersion;
    }

    UserSocket(SocketTools tools, Lifecycle<UserSocket> lifecycle, ScheduledExecutorService timer) {
        super(tools);
        this.lifecycle = lifecycle;
        this.timer = timer;
    }

    @Override
    Lifecycle<?> lifecycle() {
        return lifecycle;
    }

    @Override
    void upgrade(HttpPrologue prologue) {
        // nothing beyond the token
    }

    /** A frame of the user's feed; called by the feed, one at a time. */
    void feed(UserFeeds.Frame frame) {
        switch (frame.type()) {
            case UserFeeds.LIST_CHANGED -> changed(frame);
            case UserFeeds.LIST_REMOVED -> {
                synchronized (this) {
                    changes.remove(frame.listId());
                }
                send(frame.text());
            }
            default -> send(frame.text());
        }
    }

    private void changed(UserFeeds.Frame frame) {
        long now = System.nanoTime();
        synchronized (this) {
            if (changes.size() > 256) {
                forgetQuietLists(now);
            }
            Changes list = changes.get(frame.listId());
            if (list == null) {
                list = new Changes();
                list.sentAt = now - CHANGE_EVERY_NANOS;
                changes.put(frame.listId(), list);
            }
            if (list.waiting != null) {
                if (frame.version() >= list.waitingVersion) {
                    list.waiting = frame.text();
                    list.waitingVersion = frame.version();
                }
                return;
            }
            long wait = list.sentAt + CHANGE_EVERY_NANOS - now;
            if (wait > 0) {
                list.waiting = frame.text();
                list.waitingVersion = frame.version();
                timer.schedule(() -> flush(frame.listId()), wait, TimeUnit.NANOSECONDS);
                return;
            }
            list.sentAt = now;
        }
        send(frame.text());
    }

    private void flush(String listId) {
        String text;
        synchronized (this) {
            Changes list = changes.get(listId);
            if (list == null || list.waiting == null) {
                return;
            }
            text = list.waiting;
            list.waiting = null;
            list.sentAt = System.nanoTime();
        }
        send(text);
    }

    /** Forgets lists whose last change is more than a second old, so the state stays bounded. */
    private void forgetQuietLists(long now) {
        changes.values().removeIf(c -> c.waiting == null && now - c.sentAt > CHANGE_EVERY_NANOS);
    }
}
