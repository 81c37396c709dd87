package io.listsync.server.realtime.transport;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseException;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection context Helidon's {@code WsConnection} is created with: the HTTP connection's own, except that
 * its reader passes the client's bytes through a {@link FrameGuard}. It is also the session's
 * {@link WsTransport} ({@code WsSession.socketContext()} returns it).
 */
final class TransportContext implements ConnectionContext, WsTransport {

    private static final System.Logger LOG = System.getLogger(TransportContext.class.getName());

    private final ConnectionContext delegate;
    private final DataReader reader;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Listener listener;
    private volatile ServerConnection connection;

    TransportContext(ConnectionContext delegate, int maxFrameLength) {
        this.delegate = delegate;
        this.reader = DataReader.create(new FrameGuard(delegate.dataReader(), maxFrameLength, this::violation));
    }

    void connection(ServerConnection connection) {
        this.connection = connection;
    }

    /** The connection's read loop has returned or thrown: whatever the reason, the connection is over. */
    void ended() {
        if (ended.compareAndSet(false, true)) {
            Listener l = listener;
            if (l != null) {
                try {
                    l.connectionEnded();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A WebSocket listener failed when its connection ended", e);
                }
            }
        }
    }

    private void violation(WsCloseException e) {
        Listener l = listener;
        if (l != null) {
            try {
                l.protocolViolation(e.closeCode(), e.getMessage());
            } catch (RuntimeException failure) {
                LOG.log(Level.WARNING, "A WebSocket listener failed on a protocol violation", failure);
            }
        }
    }

    // ---- WsTransport ----------------------------------------------------------------------------------------

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
        if (ended.get()) {
            listener.connectionEnded(); // it ended first (listeners take a second call in their stride)
        }
    }

    @Override
    public boolean isOpen() {
        return !ended.get() && delegate.serverSocket().isConnected();
    }

    @Override
    public void abort() {
        boolean closed = closeQuietly(delegate);
        ServerConnection c = connection;
        if (c != null && (!closed || delegate.serverSocket().isConnected())) {
            // the socket would not close (shutdown fails on a connection that was reset): stop the read loop;
            // interrupting a virtual thread blocked on a socket closes that socket
            c.close(true);
        }
    }

    /** Closes the connection's socket; a writer blocked on it fails at once. False when the close failed. */
    static boolean closeQuietly(ConnectionContext ctx) {
        try {
            ctx.serverSocket().close();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- ConnectionContext: the HTTP connection's, but for the reader ------------------------------------------

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public ListenerContext listenerContext() {
        return delegate.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return delegate.executor();
    }

    @Override
    public DataWriter dataWriter() {
        return delegate.dataWriter();
    }

    @Override
    public Router router() {
        return delegate.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return delegate.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return delegate.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return delegate.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return delegate.localPeer();
    }

    @Override
    public boolean isSecure() {
        return delegate.isSecure();
    }

    @Override
    public String socketId() {
        return delegate.socketId();
    }

    @Override
    public String childSocketId() {
        return delegate.childSocketId();
    }
}
