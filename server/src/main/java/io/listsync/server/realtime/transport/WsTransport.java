package io.listsync.server.realtime.transport;

import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsSession;

/**
 * The network connection under one WebSocket session: a notice when it ends, however it ends, and a way to end it
 * for real.
 *
 * <p>Helidon 4.5 tells a {@code WsListener} nothing when the TCP connection ends without a close frame (a phone
 * losing signal, a killed client): its read loop just stops. And {@code WsSession.terminate()} cannot end a
 * connection whose write is blocked on a full send buffer, because it first writes a close frame under the same
 * send lock. Sessions opened through {@link TransportUpgradeProvider} have a transport that fixes both.
 */
public interface WsTransport {

    /** Told about the connection's end and about protocol violations it closed with 1002. */
    interface Listener {
        /** The connection has ended; called once, on the connection's own thread. */
        void connectionEnded();

        /**
         * The client broke the WebSocket protocol (1002) or sent a frame over the size limit (1009). Called on the
         * connection's thread after every earlier frame was handled; the listener may write its own close frame
         * with this code and reason (behind what it has queued). When it returns the connection ends, with a close
         * frame of this code if none was written.
         */
        default void protocolViolation(int code, String reason) {
        }
    }

    /** The transport of a session; a weaker fallback when the session was not opened through this package. */
    static WsTransport of(WsSession session) {
        if (session.socketContext() instanceof TransportContext transport) {
            return transport;
        }
        return new FallbackTransport(session.socketContext() instanceof ConnectionContext ctx ? ctx : null);
    }

    /** Registers the one listener of this connection. */
    void listen(Listener listener);

    /** Whether the connection is still open. */
    boolean isOpen();

    /**
     * Closes the TCP connection now, without a close frame: a write blocked on it fails at once and its read loop
     * ends. For a connection that is dead or stuck; a live client sees the connection drop.
     */
    void abort();
}
