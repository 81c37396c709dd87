package io.listsync.server.realtime.transport;

import io.helidon.webserver.ConnectionContext;

/**
 * A session opened by another upgrader (an embedding application's own): it can still be aborted and checked,
 * but its end is only noticed by the keepalive's check of {@link #isOpen()}.
 */
final class FallbackTransport implements WsTransport {

    private final ConnectionContext ctx;

    FallbackTransport(ConnectionContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void listen(Listener listener) {
    }

    @Override
    public boolean isOpen() {
        try {
            return ctx == null || ctx.serverSocket().isConnected();
        } catch (UnsupportedOperationException e) {
            return true;
        }
    }

    @Override
    public void abort() {
        if (ctx != null) {
            TransportContext.closeQuietly(ctx);
        }
    }
}
