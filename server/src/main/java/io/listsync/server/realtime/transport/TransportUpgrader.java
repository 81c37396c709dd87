package io.listsync.server.realtime.transport;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrade;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrader;
import io.helidon.webserver.http1.spi.Http1UpgradeResponse;
import io.helidon.webserver.http1.spi.Http1UpgradeResult;
import io.helidon.webserver.spi.ServerConnection;

import java.util.Optional;

/**
 * Helidon's WebSocket upgrader (handshake, origin check, routing filters all unchanged), with each upgraded
 * connection given a {@link TransportContext} and run as a {@link TransportConnection}.
 */
final class TransportUpgrader implements Http1RoutedUpgrader {

    private final Http1RoutedUpgrader helidon;
    private final int maxFrameLength;

    TransportUpgrader(Http1RoutedUpgrader helidon, int maxFrameLength) {
        this.helidon = helidon;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public String supportedProtocol() {
        return helidon.supportedProtocol();
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        TransportContext transport = new TransportContext(ctx, maxFrameLength);
        ServerConnection connection = helidon.upgrade(transport, prologue, headers);
        return connection == null ? null : new TransportConnection(connection, transport);
    }

    @Override
    public Optional<Http1RoutedUpgrade> routedUpgrade(ConnectionContext ctx, HttpPrologue prologue,
                                                     WritableHeaders<?> headers) {
        TransportContext transport = new TransportContext(ctx, maxFrameLength);
        return helidon.routedUpgrade(transport, prologue, headers)
                .map(upgrade -> (Http1UpgradeResponse response, Headers requestHeaders) -> {
                    Http1UpgradeResult result = upgrade.upgrade(response, requestHeaders);
                    return result.connection()
                            .map(c -> Http1UpgradeResult.upgraded(new TransportConnection(c, transport)))
                            .orElse(result);
                });
    }
}
