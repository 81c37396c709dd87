package io.listsync.server.realtime.transport;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrader;
import io.helidon.webserver.http1.spi.Http1UpgradeProvider;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgrader;

/**
 * Takes the place of Helidon's {@code WsUpgradeProvider} for the {@code websocket} upgrade: Helidon keeps the
 * first upgrader per protocol in weight order, and this one weighs more. Registered in
 * {@code META-INF/services/io.helidon.webserver.http1.spi.Http1UpgradeProvider}.
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class TransportUpgradeProvider implements Http1UpgradeProvider<WsConfig> {

    /** For {@link java.util.ServiceLoader}. */
    public TransportUpgradeProvider() {
    }

    @Override
    public String protocolType() {
        return "websocket";
    }

    @Override
    public Class<WsConfig> protocolConfigType() {
        return WsConfig.class;
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        Http1Upgrader helidon = WsUpgrader.create(config);
        if (helidon instanceof Http1RoutedUpgrader routed) {
            return new TransportUpgrader(routed, config.maxFrameLength());
        }
        throw new IllegalStateException("Helidon's WebSocket upgrader is not a routed upgrader any more ("
                + helidon.getClass().getName() + "): update " + TransportUpgrader.class.getName());
    }
}
