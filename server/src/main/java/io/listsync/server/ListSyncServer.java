package io.listsync.server;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.listsync.server.http.DirectProblems;
import io.listsync.server.http.Json;
import io.listsync.server.http.ListenerLimits;
import io.listsync.server.http.RequestDeadlines;
import io.listsync.server.warmup.ConnectionWarmUp;

import java.time.Duration;
import java.util.LinkedHashSet;

/**
 * ListSync on a Helidon web server: REST API, WebSocket endpoint, web app, health and metrics on one port.
 */
public final class ListSyncServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ListSyncServer.class.getName());

    private final ListSync app;
    private final WebServer server;
    private final RequestDeadlines deadlines;

    private ListSyncServer(ListSync app, WebServer server, RequestDeadlines deadlines) {
        this.app = app;
        this.server = server;
        this.deadlines = deadlines;
    }

    public static ListSyncServer start(Config config) {
        return start(config, ListSync.create(config));
    }

    public static ListSyncServer start(Config config, ListSync app) {
        RequestDeadlines deadlines = null;
        try {
            ListenerLimits limits = ListenerLimits.from(config.get("server"),
                    config.get("db.pool-size").asInt().orElse(16));
            deadlines = new RequestDeadlines(limits.headerTimeout(), limits.bodyTimeout());
            ConnectionWarmUp.run(config.get("server")); // before the listener opens: its first clients come warm
            WebServer server = WebServer.builder()
                    .config(config.get("server"))
                    .idleConnectionTimeout(limits.idleTimeout())
                    .idleConnectionPeriod(limits.idlePeriod())
                    .maxTcpConnections(limits.maxTcpConnections())
                    // named as Helidon's discovered HTTP/1.1 protocol, which it replaces (two would make the
                    // listener read from every connection before it can be idle-timed out)
                    .addProtocol(Http1Config.builder()
                            .config(config.get("server.protocols.http_1_1"))
                            .name("http_1_1")
                            .addReceiveListener(deadlines)
                            .build())
                    .directHandlers(new DirectProblems(new Json()).handlers())
                    .featuresDiscoverServices(false)
                    .addFeature(ObserveFeature.builder()
                            .addObserver(HealthObserver.builder().details(true).addChecks(
                                    app.healthChecks().toArray(io.helidon.health.HealthCheck[]::new)).build())
                            .addObserver(MetricsObserver.builder().meterRegistry(app.meters()).build())
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
            LOG.log(System.Logger.Level.INFO, "HTTP limits: " + limits);
            return new ListSyncServer(app, server, deadlines);
        } catch (RuntimeException e) {
            if (deadlines != null) {
                deadlines.close();
            }
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
            deadlines.close();
            app.close();
        }
    }
}
