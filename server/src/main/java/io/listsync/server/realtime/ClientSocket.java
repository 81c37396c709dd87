package io.listsync.server.realtime;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.listsync.server.realtime.transport.WsTransport;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection on a ListSync socket endpoint, whatever it carries: the protocol every socket speaks
 * (ping and pong, fragments, bad frames, close codes), its outbox, its places under the caps and its timers. The
 * endpoint's own state lives in the subclass ({@link ListSocket}, {@link UserSocket}); what happens when it opens,
 * closes and ends is the {@link Lifecycle}'s, which the socket only tells.
 *
 * <p>A socket ends one way, whatever the cause: its connection ends (a close handshake, a dropped or reset TCP
 * connection, a failed write, or the server dropping it after a close went unanswered) and the lifecycle's
 * {@link Lifecycle#ended} releases everything it held. A close the server starts only takes it out of the fan-out
 * ({@link Lifecycle#closing}) and arms that drop.
 */
abstract class ClientSocket implements WsListener, WsTransport.Listener, Keepalive.Pinged {

    private static final System.Logger LOG = System.getLogger(ClientSocket.class.getName());

    /** What the endpoint does at the three moments of a socket's life; the socket calls nothing else. */
    interface Lifecycle<S extends ClientSocket> {
        /** The connection is open; runs on its thread, so it may read the database. */
        void opened(S socket);

        /** The server queued a close: the socket gets nothing more. */
        void closing(S socket);

        /** The connection has ended, however it ended. Idempotent. */
        void ended(S socket);
    }

    private final SocketTools tools;
    private final AtomicInteger missedPings = new AtomicInteger();
    private final StringBuilder fragments = new StringBuilder();

    // set during the upgrade and open, read-only afterwards
    private String token;
    private String forwardedFor;
    private SocketAddress address;
    private volatile WsTransport transport;
    private volatile String userId;
    private volatile SocketOutbox outbox;

    private volatile ScheduledFuture<?> expiry;
    private volatile ScheduledFuture<?> closeDeadline;
    private SocketCaps.Permit addressPermit; // guarded by this
    private SocketCaps.Permit userPermit;    // guarded by this
    private volatile boolean gone;

    ClientSocket(SocketTools tools) {
        this.tools = tools;
    }

    /** The lifecycle of this endpoint's sockets. */
    abstract Lifecycle<?> lifecycle();

    /** Reads the endpoint's own query parameters and path during the upgrade. */
    abstract void upgrade(HttpPrologue prologue);

    @Override
    public final Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        token = prologue.query().first("token").orElse(null);
        forwardedFor = headers.contains(HeaderNames.X_FORWARDED_FOR)
                ? String.join(",", headers.get(HeaderNames.X_FORWARDED_FOR).allValues()) : null;
        upgrade(prologue);
        return Optional.empty();
    }

    @Override
    public final void onOpen(WsSession session) {
        address = session.socketContext().remotePeer().address();
        transport = WsTransport.of(session);
        outbox = new SocketOutbox(new SessionSink(session), tools.writers(), tools.settings().maxBacklog(),
                this::writeFailed);
        transport.listen(this);
        opened();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void opened() {
        ((Lifecycle) lifecycle()).opened(this);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    final void ended() {
        ((Lifecycle) lifecycle()).ended(this);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void closing() {
        ((Lifecycle) lifecycle()).closing(this);
    }

    @Override
    public final void onMessage(WsSession session, String text, boolean last) {
        try {
            if (fragments.length() + text.length() > tools.settings().maxFrameBytes()) {
                close(CloseCodes.TOO_BIG, "frame too large");
                return;
            }
            fragments.append(text);
            if (!last) {
                return;
            }
            String frame = fragments.toString();
            fragments.setLength(0);
            switch (ClientFrames.type(frame, tools.json())) {
                case ClientFrames.PONG -> missedPings.set(0);
                case ClientFrames.PING -> {
                    missedPings.set(0);
                    send(Frames.PONG);
                }
                case null, default -> close(CloseCodes.UNSUPPORTED, "expected JSON {\"type\":\"ping\"|\"pong\"}");
            }
        } catch (RuntimeException e) {
            // never let Helidon close with 1011 and the exception's text
            LOG.log(Level.WARNING, "Handling a frame of a socket failed", e);
            close(CloseCodes.SERVER_ERROR, "server error; reconnect");
        }
    }

    @Override
    public final void onMessage(WsSession session, BufferData buffer, boolean last) {
        close(CloseCodes.UNSUPPORTED, "binary frames are not supported");
    }

    @Override
    public final void onClose(WsSession session, int status, String reason) {
        // the client's close; Helidon answers it and the connection ends
        ended();
    }

    @Override
    public final void onError(WsSession session, Throwable t) {
        ended();
    }

    @Override
    public final void connectionEnded() {
        ended();
    }

    /** The close goes out behind every frame already queued, so it is the last frame the client gets. */
    @Override
    public final void protocolViolation(int code, String reason) {
        close(code, reason);
        SocketOutbox box = outbox;
        if (box != null) {
            box.awaitWritten(tools.settings().closeTimeout());
        }
    }

    final SocketTools tools() {
        return tools;
    }

    final String token() {
        return token;
    }

    /** The upgrade request's {@code X-Forwarded-For} values, comma-joined, or null. */
    final String forwardedFor() {
        return forwardedFor;
    }

    final SocketAddress address() {
        return address;
    }

    public final String userId() {
        return userId;
    }

    final void authenticated(String userId) {
        this.userId = userId;
    }

    final void expiry(ScheduledFuture<?> expiry) {
        this.expiry = expiry;
    }

    final ScheduledFuture<?> expiry() {
        return expiry;
    }

    final void closeDeadline(ScheduledFuture<?> deadline) {
        this.closeDeadline = deadline;
    }

    final ScheduledFuture<?> closeDeadline() {
        return closeDeadline;
    }

    final synchronized void holdAddressPermit(SocketCaps.Permit permit) {
        addressPermit = permit;
    }

    final synchronized void holdUserPermit(SocketCaps.Permit permit) {
        userPermit = permit;
    }

    /** Gives back the socket's places under the caps; once. */
    final synchronized void releasePermits() {
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
    final synchronized boolean markGone() {
        boolean first = !gone;
        gone = true;
        return first;
    }

    final boolean isGone() {
        return gone;
    }

    final boolean send(String frame) {
        SocketOutbox box = outbox;
        return box != null && box.offer(frame);
    }

    final SocketOutbox outbox() {
        return outbox;
    }

    /** Closes with {@code code} after the frame being written; the first close wins. */
    final void close(int code, String reason) {
        SocketOutbox box = outbox;
        if (box != null && box.close(code, reason)) {
            closedWith(code);
        }
    }

    /** The outbox closed itself (the socket was stuck) or {@link #close} did: counted, then out of the fan-out. */
    final void closedWith(int code) {
        tools.metrics().closed(code);
        closing();
    }

    final void discard() {
        SocketOutbox box = outbox;
        if (box != null) {
            box.discard();
        }
    }

    /** Drops the connection now (see {@link WsTransport#abort()}). */
    final void abort() {
        WsTransport t = transport;
        if (t != null) {
            t.abort();
        }
    }

    private void writeFailed() {
        abort();
        ended();
    }

    /**
     * Keepalive tick: a ping, or the close when two pings went unanswered; a socket whose connection is gone
     * without Helidon having said so leaves here, within one ping interval.
     */
    @Override
    public final void keepalive() {
        WsTransport t = transport;
        if (t != null && !t.isOpen()) {
            ended();
        } else if (missedPings.getAndIncrement() >= 2) {
            close(CloseCodes.PING_TIMEOUT, "no pong to two pings");
        } else {
            send(Frames.PING);
        }
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
