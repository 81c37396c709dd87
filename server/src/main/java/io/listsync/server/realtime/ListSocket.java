package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.listsync.broker.ListEvent;
import io.listsync.server.realtime.transport.WsTransport;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
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
 * <p>A socket ends one way, whatever the cause: its connection ends (a close handshake, a dropped or reset TCP
 * connection, a failed write, or the server dropping it after a close went unanswered) and the hub's
 * {@link ListHub#leave} releases everything it held. A close the server starts only takes it out of the fan-out
 * and arms that drop.
 *
 * <p>Fields marked "channel" are guarded by the monitor of the socket's {@link ListChannel}.
 */
final class ListSocket implements WsListener, WsTransport.Listener {

    private static final System.Logger LOG = System.getLogger(ListSocket.class.getName());

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
    private SocketAddress address;
    private volatile WsTransport transport;
    private volatile String userId;
    private volatile SocketOutbox outbox;
    private volatile ListChannel channel;

    // the hub's
    private volatile ScheduledFuture<?> expiry;
    private volatile ScheduledFuture<?> closeDeadline;
    private SocketCaps.Permit addressPermit; // guarded by this
    private SocketCaps.Permit userPermit;    // guarded by this
    private volatile boolean gone;

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
        address = session.socketContext().remotePeer().address();
        transport = WsTransport.of(session);
        outbox = new SocketOutbox(new SessionSink(session), hub.writers(), hub.settings().maxBacklog(),
                this::writeFailed);
        transport.listen(this);
        hub.join(this);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        try {
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
        } catch (RuntimeException e) {
            // never let Helidon close with 1011 and the exception's text
            LOG.log(Level.WARNING, "Handling a frame of a socket on list " + listId + " failed", e);
            close(CloseCodes.SERVER_ERROR, "server error; reconnect");
        }
    }

    @Override
    public void onMessage(WsSession session, io.helidon.common.buffers.BufferData buffer, boolean last) {
        close(CloseCodes.UNSUPPORTED, "binary frames are not supported");
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        // the client's close; Helidon answers it and the connection ends
        hub.leave(this);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        hub.leave(this);
    }

    // ---- WsTransport.Listener ---------------------------------------------------------------------------------

    @Override
    public void connectionEnded() {
        hub.leave(this);
    }

    /** The close goes out behind every frame already queued, so it is the last frame the client gets. */
    @Override
    public void protocolViolation(int code, String reason) {
        close(code, reason);
        SocketOutbox box = outbox;
        if (box != null) {
            box.awaitWritten(hub.settings().closeTimeout());
        }
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

    SocketAddress address() {
        return address;
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

    void closeDeadline(ScheduledFuture<?> deadline) {
        this.closeDeadline = deadline;
    }

    ScheduledFuture<?> closeDeadline() {
        return closeDeadline;
    }

    synchronized void holdAddressPermit(SocketCaps.Permit permit) {
        addressPermit = permit;
    }

    synchronized void holdUserPermit(SocketCaps.Permit permit) {
        userPermit = permit;
    }

    /** Gives back the socket's places under the caps; once. */
    synchronized void releasePermits() {
        if (addressPermit != null) {
            addressPermit.release();
            addressPermit = null;
        }
        if (userPermit != null) {
            userPermit.release();
            userPermit = null;
        }
    }

    /** Marks the socket as gone (its connection ended); true the first time. */
    synchronized boolean markGone() {
        boolean first = !gone;
        gone = true;
        return first;
    }

    boolean isGone() {
        return gone;
    }

    boolean send(String frame) {
        return outbox.offer(frame);
    }

    void sendEvent(ListEvent event) {
        outbox.offerEvent(event.payload(), event.version());
    }

    /** Closes with {@code code} after the frame being written; the first close wins. */
    void close(int code, String reason) {
        SocketOutbox box = outbox;
        if (box != null && box.close(code, reason)) {
            closing(code);
        }
    }

    private void closing(int code) {
        hub.metrics().closed(code);
        hub.closing(this);
    }

    void discard() {
        SocketOutbox box = outbox;
        if (box != null) {
            box.discard();
        }
    }

    /** Drops the connection now (see {@link WsTransport#abort()}). */
    void abort() {
        WsTransport t = transport;
        if (t != null) {
            t.abort();
        }
    }

    private void writeFailed() {
        abort();
        hub.leave(this);
    }

    /**
     * Keepalive tick: a ping, or the close when two pings went unanswered; a socket whose connection is gone
     * without Helidon having said so leaves here, within one ping interval.
     */
    void keepalive() {
        WsTransport t = transport;
        if (t != null && !t.isOpen()) {
            hub.leave(this);
        } else if (missedPings.getAndIncrement() >= 2) {
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
        switch (outbox.offerEvent(event.payload(), event.version())) {
            case RESYNC -> hub.metrics().resync();
            // not here: the channel is iterating its sockets
            case STUCK -> hub.executor().execute(() -> closing(CloseCodes.TOO_SLOW));
            case QUEUED, CLOSED -> {
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
    }
}
