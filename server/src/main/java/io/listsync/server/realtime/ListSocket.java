package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.listsync.broker.ListEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's socket on {@code /api/v1/ws/lists/{id}}: one instance per connection. It speaks the protocol
 * (ping/pong, bad frames, close codes); joining and fan-out are the {@link ListHub}'s and the
 * {@link ListChannel}'s.
 *
 * <p>Fields marked "channel" are guarded by the monitor of the socket's {@link ListChannel}.
 */
final class ListSocket implements WsListener {

    /** Where clients open their list sockets; the list id follows. */
    static final String PATH_PREFIX = "/api/v1/ws/lists/";
    /** The route, with the list id as a path parameter. */
    static final String PATH = PATH_PREFIX + "{id}";

    private final ListHub hub;
    private final int maxFrameBytes;
    private final AtomicInteger missedPings = new AtomicInteger();
    private final StringBuilder fragments = new StringBuilder();

    // set during the upgrade and open, read-only afterwards
    private String listId;
    private String token;
    private String since;
    private volatile String userId;
    private volatile SocketOutbox outbox;
    private volatile ListChannel channel;
    private volatile ScheduledFuture<?> expiry;

    // channel
    private boolean live;
    private long lastSent;
    private long pendingResync = -1;
    private final List<ListEvent> pendingLive = new ArrayList<>();

    ListSocket(ListHub hub, int maxFrameBytes) {
        this.hub = hub;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        String path = prologue.uriPath().path();
        listId = path.startsWith(PATH_PREFIX) ? path.substring(PATH_PREFIX.length()) : "";
        token = prologue.query().first("token").orElse(null);
        since = prologue.query().first("since").orElse(null);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        outbox = new SocketOutbox(new SessionSink(session), hub.writers(), hub.settings().maxBacklog());
        hub.join(this);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (fragments.length() + text.length() > maxFrameBytes) {
            close(CloseCodes.TOO_BIG, "frame too large");
            return;
        }
        fragments.append(text);
        if (!last) {
            return;
        }
        String frame = fragments.toString();
        fragments.setLength(0);
        switch (hub.messageType(frame)) {
            case "pong" -> missedPings.set(0);
            case "ping" -> {
                missedPings.set(0);
                send(Frames.PONG);
            }
            case null, default -> close(CloseCodes.UNSUPPORTED, "expected JSON {\"type\":\"ping\"|\"pong\"}");
        }
    }

    @Override
    public void onMessage(WsSession session, io.helidon.common.buffers.BufferData buffer, boolean last) {
        close(CloseCodes.UNSUPPORTED, "binary frames are not supported");
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        hub.leave(this);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        hub.leave(this);
    }

    // ---- used by the hub ------------------------------------------------------------------------------------

    String listId() {
        return listId;
    }

    String token() {
        return token;
    }

    String since() {
        return since;
    }

    String userId() {
        return userId;
    }

    void authenticated(String userId) {
        this.userId = userId;
    }

    ListChannel channel() {
        return channel;
    }

    void attached(ListChannel channel) {
        this.channel = channel;
    }

    void expiry(ScheduledFuture<?> expiry) {
        this.expiry = expiry;
    }

    ScheduledFuture<?> expiry() {
        return expiry;
    }

    boolean send(String frame) {
        return outbox.offer(frame);
    }

    void sendEvent(ListEvent event) {
        outbox.offerEvent(event.payload(), event.version());
    }

    void close(int code, String reason) {
        SocketOutbox box = outbox;
        if (box != null && !box.isClosed()) {
            hub.metrics().closed(code);
            box.close(code, reason);
        }
    }

    void discard() {
        SocketOutbox box = outbox;
        if (box != null) {
            box.discard();
        }
    }

    /** Keepalive tick: a ping, or the close when two pings went unanswered. */
    void keepalive() {
        if (missedPings.getAndIncrement() >= 2) {
            close(CloseCodes.PING_TIMEOUT, "no pong to two pings");
        } else {
            send(Frames.PING);
        }
    }

    // ---- channel --------------------------------------------------------------------------------------------

    /** An in-order event of the list; before the socket is live it is held until the replay is done. */
    void deliver(ListEvent event) {
        if (!live) {
            if (pendingLive.size() < hub.settings().maxBacklog()) {
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
        boolean wasOpen = !outbox.isClosed();
        switch (outbox.offerEvent(event.payload(), event.version())) {
            case RESYNC -> hub.metrics().resync();
            case CLOSED -> {
                if (wasOpen) {
                    // stuck even after a resync: the connection was dropped; unregister (not here: the channel
                    // is iterating its sockets)
                    hub.metrics().closed(CloseCodes.TOO_SLOW);
                    hub.executor().execute(() -> hub.leave(this));
                }
            }
            case QUEUED -> {
            }
        }
    }

    /** The channel cannot give a gap-free stream up to {@code version}. */
    void resync(long version) {
        if (!live) {
            pendingResync = Math.max(pendingResync, version);
            return;
        }
        if (version > lastSent) {
            lastSent = version;
            hub.metrics().resync();
            send(Frames.resync(version));
        }
    }

    /** The socket has been sent everything up to {@code sentUpTo}; from now on it gets live events. */
    void goLive(long sentUpTo) {
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

    static String type(JsonNode node) {
        return node != null && node.isObject() && node.get("type") != null && node.get("type").isTextual()
                ? node.get("type").textValue() : null;
    }

    /** Writes to the Helidon session; only the outbox's drain calls it. */
    private record SessionSink(WsSession session) implements SocketOutbox.Sink {
        @Override
        public void send(String text) {
            session.send(text, true);
        }

        @Override
        public void close(int code, String reason) {
            session.close(code, reason);
        }

        @Override
        public void terminate() {
            try {
                session.terminate();
            } catch (RuntimeException e) {
                // terminate() ends by throwing to unwind the connection's own thread; on ours there is nothing to do
            }
        }
    }
}
