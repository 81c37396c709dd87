package io.listsync.server.realtime;

import io.helidon.http.HttpPrologue;
import io.listsync.broker.ListEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's socket on {@code /api/v1/ws/lists/{id}}: one instance per connection. The protocol is the
 * {@link ClientSocket}'s; joining is {@link ListJoin}'s; this class holds what the list's {@link ListChannel}
 * pushes to it until it is live.
 *
 * <p>Fields marked "channel" are only touched by the channel's calls, which never overlap (they run under the
 * channel's lock).
 */
final class ListSocket extends ClientSocket implements Subscriber, PresenceViewer {

    /** Where clients open their list sockets; the list id follows. */
    static final String PATH_PREFIX = "/api/v1/ws/lists/";
    /** The route, with the list id as a path parameter. */
    static final String PATH = PATH_PREFIX + "{id}";

    private final Lifecycle<ListSocket> lifecycle;

    // set during the upgrade and join, read-only afterwards
    private String listId;
    private String since;
    private boolean presence;
    private volatile String displayName;
    private volatile ListChannel channel;

    // channel
    private boolean live;
    private long lastSent;
    private long pendingResync = -1;
    private final List<ListEvent> pendingLive = new ArrayList<>();

    ListSocket(SocketTools tools, Lifecycle<ListSocket> lifecycle) {
        super(tools);
        this.lifecycle = lifecycle;
    }

    @Override
    Lifecycle<?> lifecycle() {
        return lifecycle;
    }

    @Override
    void upgrade(HttpPrologue prologue) {
        String path = prologue.uriPath().path();
        listId = path.startsWith(PATH_PREFIX) ? path.substring(PATH_PREFIX.length()) : "";
        since = prologue.query().first("since").orElse(null);
        presence = prologue.query().first("presence").map("true"::equals).orElse(false);
    }

    String listId() {
        return listId;
    }

    String since() {
        return since;
    }

    /** Whether the client asked for presence ({@code presence=true}). */
    boolean wantsPresence() {
        return presence;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    void displayName(String displayName) {
        this.displayName = displayName;
    }

    ListChannel channel() {
        return channel;
    }

    void attached(ListChannel channel) {
        this.channel = channel;
    }

    void sendEvent(ListEvent event) {
        outbox().offerEvent(event.payload(), event.version());
    }

    // ---- PresenceViewer ---------------------------------------------------------------------------------------

    @Override
    public void presence(String frame) {
        send(frame);
    }

    // ---- Subscriber (the channel's) ---------------------------------------------------------------------------

    @Override
    public void deliver(ListEvent event) {
        if (!live) {
            if (pendingLive.size() < tools().settings().maxBacklog()) {
                pendingLive.add(event);
            } else {
                pendingResync = Math.max(pendingResync, event.version());
            }
            return;
        }
        if (event.version() <= lastSent) {
            return;
        }
        lastSent = event.version();
        switch (outbox().offerEvent(event.payload(), event.version())) {
            case RESYNC -> tools().metrics().resync();
            // not here: the channel is iterating its sockets
            case STUCK -> tools().executor().execute(() -> closedWith(CloseCodes.TOO_SLOW));
            case QUEUED, CLOSED -> {
            }
        }
    }

    @Override
    public void resync(long version) {
        if (!live) {
            pendingResync = Math.max(pendingResync, version);
            return;
        }
        if (version > lastSent) {
            lastSent = version;
            tools().metrics().resync();
            send(Frames.resync(version));
        }
    }

    @Override
    public void goLive(long sentUpTo) {
        lastSent = sentUpTo;
        live = true;
        if (pendingResync > lastSent) {
            resync(pendingResync);
        }
        for (ListEvent event : pendingLive) {
            deliver(event);
        }
        pendingLive.clear();
    }

    @Override
    public void revoke(int code, String reason) {
        // not on the channel's thread: closing takes the socket out of the channel
        tools().executor().execute(() -> close(code, reason));
    }
}
