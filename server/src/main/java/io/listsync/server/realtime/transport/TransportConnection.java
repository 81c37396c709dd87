package io.listsync.server.realtime.transport;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Helidon's WebSocket connection, run so that its end is always told ({@link TransportContext#ended()}) and
 * nothing escapes its read loop into the HTTP/1 connection under it, which would write an HTTP 500 response
 * into the open WebSocket.
 */
final class TransportConnection implements ServerConnection {

    private static final System.Logger LOG = System.getLogger(TransportConnection.class.getName());

    private final ServerConnection delegate;
    private final TransportContext context;

    TransportConnection(ServerConnection delegate, TransportContext context) {
        this.delegate = delegate;
        this.context = context;
        context.connection(delegate);
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        try {
            delegate.handle(limit);
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "WebSocket connection failed", e);
            if (delegate instanceof WsSession session) {
                try {
                    session.close(WsCloseCodes.UNEXPECTED_CONDITION, "server error; reconnect");
                } catch (RuntimeException ignored) {
                    // the connection is gone
                }
            }
            throw new CloseConnectionException("WebSocket connection failed", e);
        } finally {
            context.ended();
        }
    }

    @SuppressWarnings("removal")
    @Override
    public void handle(java.util.concurrent.Semaphore requestSemaphore) throws InterruptedException {
        handle(io.helidon.common.concurrency.limits.FixedLimit.create(requestSemaphore));
    }

    /**
     * Never idle to Helidon's idle-connection timer ({@code server.idle-connection-timeout}, meant for HTTP): a
     * WebSocket's liveness is the real-time keepalive's to judge (pings, 4408, the close timeout). Otherwise an
     * HTTP idle timeout shorter than the ping interval would end healthy sockets, with 1000 "Idle timeout".
     */
    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
        delegate.close(interrupt);
    }
}
