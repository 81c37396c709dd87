package io.listsync.server;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

import java.time.Duration;
import java.util.LinkedHashSet;

/**
 * ListSync on a Helidon web server: REST API, WebSocket endpoint, web app, health and metrics on one port.
 */
public final class ListSyncServer implements AutoCloseable {

    private final ListSync app;
    private final WebServer server;

    private ListSyncServer(ListSync app, WebServer server) {
        this.app = app;
        this.server = server;
    }

    public static ListSyncServer start(Config config) {
        return start(config, ListSync.create(config));
    }

    public static ListSyncServer start(Config config, ListSync app) {
        try {
            WebServer server = WebServer.builder()
                    .config(config.get("server"))
                    .featuresDiscoverServices(false)
                    .addFeature(ObserveFeature.builder()
                            .addObserver(HealthObserver.builder().details(true).addChecks(
                                    app.healthChecks().toArray(io.helidon.health.HealthCheck[]::new)).build())
                            .addObserver(MetricsObserver.create())
                            .build())
                    .addFeature(OpenApiFeature.create(config.get("openapi")))
                    .routing(app::routing)
                    .addRouting(wsRouting(app))
                    .addProtocol(WsConfig.builder()
                            .name("websocket")
                            // Cross-site WebSocket hijacking guard: Helidon refuses a browser Origin outside this
                            // set with HTTP 403; with none configured, only the server's own origin (Origin matching
                            // Host). Requests without Origin (non-browser clients) pass.
                            .origins(new LinkedHashSet<>(app.hub().settings().allowedOrigins()))
                            .maxFrameLength(app.hub().settings().maxFrameBytes())
                            .build())
                    .build()
                    .start();
            return new ListSyncServer(app, server);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private static WsRouting.Builder wsRouting(ListSync app) {
        WsRouting.Builder routing = WsRouting.builder();
        app.wsRouting(routing);
        return routing;
    }

    public int port() {
        return server.port();
    }

    public ListSync app() {
        return app;
    }

    /** Stops accepting, closes sockets, then releases the broker and the database. */
    @Override
    public void close() {
        try {
            app.hub().drain(Duration.ofSeconds(2));
            server.stop();
        } finally {
            app.close();
        }
    }
}
