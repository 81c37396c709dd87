package io.listsync.server;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.metrics.api.MetricsFactory;
import io.helidon.webserver.http.HttpRouting;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.spi.BrokerSettings;
import io.listsync.server.activity.ActivityHttpService;
import io.listsync.server.activity.ActivityService;
import io.listsync.server.auth.AccessTokens;
import io.listsync.server.auth.AuthHttpService;
import io.listsync.server.auth.AuthService;
import io.listsync.server.auth.AuthSettings;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.auth.JwtSecret;
import io.listsync.server.auth.PasswordHasher;
import io.listsync.server.auth.RateLimiter;
import io.listsync.server.auth.RefreshTokens;
import io.listsync.server.auth.SecretBox;
import io.listsync.server.categories.CategoryHttpService;
import io.listsync.server.categories.CategoryRepository;
import io.listsync.server.categories.CategoryService;
import io.listsync.server.changes.EventLog;
import io.listsync.server.changes.EventLogPruner;
import io.listsync.server.changes.EventSettings;
import io.listsync.server.changes.ListChanges;
import io.listsync.server.db.Database;
import io.listsync.server.db.DatabaseSettings;
import io.listsync.server.db.Pruning;
import io.listsync.server.db.Rows;
import io.listsync.server.http.Json;
import io.listsync.server.http.ProblemHandler;
import io.listsync.server.http.RequestDeadlines;
import io.listsync.server.http.RequestLog;
import io.listsync.server.http.RequestSanity;
import io.listsync.server.http.SecurityHeaders;
import io.listsync.server.idempotency.IdempotencyFilter;
import io.listsync.server.idempotency.IdempotencyPruner;
import io.listsync.server.idempotency.IdempotencySettings;
import io.listsync.server.invites.InviteCodeHttpService;
import io.listsync.server.invites.InviteCodes;
import io.listsync.server.invites.InviteHttpService;
import io.listsync.server.invites.InvitePruner;
import io.listsync.server.invites.InviteService;
import io.listsync.server.items.ItemHttpService;
import io.listsync.server.items.ItemRepository;
import io.listsync.server.items.ItemService;
import io.listsync.server.access.ListAccess;
import io.listsync.server.lists.ListHttpService;
import io.listsync.server.lists.ListRepository;
import io.listsync.server.lists.ListService;
import io.listsync.server.delivery.Delivery;
import io.listsync.server.delivery.EventRelay;
import io.listsync.server.realtime.Realtime;
import io.listsync.server.realtime.RealtimeSettings;
import io.helidon.webserver.websocket.WsRouting;
import io.listsync.server.suggestions.ItemNames;
import io.listsync.server.suggestions.SuggestionHttpService;
import io.listsync.server.suggestions.SuggestionService;
import io.listsync.server.users.UserRepository;
import io.listsync.server.web.WebAppService;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The application: every component, wired once from configuration. {@link ListSyncServer} puts it on a web
 * server; tests use the same wiring.
 */
public final class ListSync implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ListSync.class.getName());

    private final Database database;
    private final ListEventBroker broker;
    private final Json json = new Json();
    /** This instance's meters, served at {@code /observe/metrics}; its own, so two instances in one JVM stay apart. */
    private final MeterRegistry meters = MetricsFactory.getInstance().createMeterRegistry(MetricsConfig.create());
    private final AuthHttpService authHttp;
    private final ListHttpService listHttp;
    private final ItemHttpService itemHttp;
    private final CategoryHttpService categoryHttp;
    private final SuggestionHttpService suggestionHttp;
    private final ActivityHttpService activityHttp;
    private final InviteHttpService inviteHttp;
    private final InviteCodeHttpService inviteCodeHttp;
    private final WebAppService webApp = new WebAppService();
    private final Realtime realtime;
    private final Delivery delivery;
    private final EventLogPruner pruner;
    private final IdempotencyFilter idempotency;
    private final InvitePruner invitePruner;
    private final IdempotencyPruner idempotencyPruner;
    /** Background upkeep: recording published versions, the relay, pruning. */
    private final ScheduledExecutorService maintenance;
    /** What this instance opened, closed in reverse order by {@link #close()} or when wiring fails half-way. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    private ListSync(Config config, Optional<ListEventBroker> embeddedBroker) {
        Clock clock = Clock.systemUTC();
        Path dataDir = Path.of(config.get("data.dir").asString().orElse("./data"));
        // settings first: a mistake fails start-up before anything is opened
        AuthSettings authSettings = AuthSettings.from(config.get("auth"));
        byte[] secret = JwtSecret.resolve(config.get("auth.jwt.secret").asString().asOptional()
                .filter(s -> !s.isEmpty()), dataDir);
        RealtimeSettings realtimeSettings = RealtimeSettings.from(config.get("realtime"));
        EventSettings eventSettings = EventSettings.from(config.get("events"));
        IdempotencySettings idempotencySettings = IdempotencySettings.from(config.get("idempotency"));
        DatabaseSettings dbSettings = DatabaseSettings.from(config.get("db"), dataDir);
        try {
            this.database = open(Database.open(dbSettings));
            LOG.log(System.Logger.Level.INFO, "Database: " + database.product() + " " + dbSettings);
            this.broker = open(embeddedBroker.orElseGet(() -> createBroker(config.get("broker"))));
            this.maintenance = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("listsync-maintenance").daemon().factory());
            opened.push(maintenance::shutdownNow);

            UserRepository users = new UserRepository();
            AccessTokens accessTokens = new AccessTokens(secret, authSettings.accessTokenTtl(), clock);
            Authenticator authenticator = new Authenticator(accessTokens, database, users);
            this.authHttp = authHttp(authSettings, accessTokens, authenticator, users, clock);

            EventLog eventLog = new EventLog();
            this.realtime = open(new Realtime(broker, database, eventLog, authenticator, realtimeSettings, json,
                    meters));
            this.delivery = open(new Delivery(broker, database, eventLog, eventSettings, json, meters,
                    maintenance));
            this.pruner = new EventLogPruner(database, eventSettings);
            pruner.start(maintenance);
            this.idempotency = new IdempotencyFilter(database, authenticator, json,
                    SecretBox.fromSecret(secret, "listsync idempotency answers v1"));
            this.idempotencyPruner = new IdempotencyPruner(database, idempotencySettings);
            idempotencyPruner.start(maintenance);

            ListAccess access = new ListAccess(users);
            ListChanges changes = new ListChanges(database, access, eventLog, json, delivery);
            ListRepository listRepository = new ListRepository();
            CategoryRepository categoryRepository = new CategoryRepository();
            this.listHttp = new ListHttpService(
                    new ListService(database, listRepository, users, access, changes, delivery), authenticator, json);
            this.itemHttp = new ItemHttpService(new ItemService(database, new ItemRepository(), categoryRepository,
                    access, changes, new ItemNames()), authenticator, json);
            this.categoryHttp = new CategoryHttpService(
                    new CategoryService(database, categoryRepository, access, changes), authenticator, json);
            this.suggestionHttp = new SuggestionHttpService(new SuggestionService(database, access), authenticator,
                    json);
            this.activityHttp = new ActivityHttpService(new ActivityService(database, access, json), authenticator,
                    json);
            InviteService invites = new InviteService(database, InviteCodes.fromSecret(secret), listRepository,
                    access, delivery);
            this.invitePruner = new InvitePruner(database);
            invitePruner.start(maintenance);
            this.inviteHttp = new InviteHttpService(invites, authenticator, json);
            this.inviteCodeHttp = new InviteCodeHttpService(invites, authenticator, json);
        } catch (RuntimeException | Error e) {
            closeOpened(e);
            throw e;
        }
    }

    private AuthHttpService authHttp(AuthSettings settings, AccessTokens accessTokens, Authenticator authenticator,
                                     UserRepository users, Clock clock) {
        RefreshTokens refreshTokens = new RefreshTokens(settings.refreshTokenTtl());
        AuthService auth = new AuthService(database, users, new PasswordHasher(settings.bcryptCost()),
                accessTokens, refreshTokens, settings, clock);
        Pruning.every(maintenance, Duration.ofMinutes(1), Duration.ofHours(1), LOG, "expired refresh tokens",
                () -> database.inTransaction(tx -> refreshTokens.purgeExpired(tx, Rows.now())));
        return new AuthHttpService(auth, authenticator,
                new RateLimiter(settings.requestsPerAddress(), Duration.ofMinutes(1), clock), json);
    }

    /** Remembers what was opened, so that a later failure (or {@link #close()}) closes it. */
    private <T extends AutoCloseable> T open(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes everything opened so far, newest first; failures are added to {@code cause} (or thrown if none). */
    private void closeOpened(Throwable cause) {
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Wires the application from configuration; the broker is the one named by {@code broker.type}.
     */
    public static ListSync create(Config config) {
        return new ListSync(config, Optional.empty());
    }

    /**
     * Wires the application with a broker the embedding code made itself ({@code broker.type} is ignored).
     */
    public static ListSync create(Config config, ListEventBroker broker) {
        return new ListSync(config, Optional.of(broker));
    }

    /** The REST API, the web app, problem+json error handling, and what every request passes first. */
    public void routing(HttpRouting.Builder routing) {
        ProblemHandler problems = new ProblemHandler(json);
        routing.addFilter(new RequestLog())
                .addFilter(new SecurityHeaders())
                .addFilter(RequestDeadlines.CLOSE_IF_BODY_UNREAD)
                .addFilter(new RequestSanity(problems))
                // inside the access log, so it logs what the client got (a replay, a 422)
                .addFilter(idempotency);
        problems.register(routing);
        routing.register("/api/v1", authHttp)
                .register("/api/v1/lists", listHttp, itemHttp, categoryHttp, suggestionHttp, activityHttp, inviteHttp)
                .register("/api/v1/invites", inviteCodeHttp)
                .register(webApp);
    }

    /** The WebSocket endpoints: the list socket and the user socket. */
    public void wsRouting(WsRouting.Builder routing) {
        realtime.routing(routing);
    }

    /** The real-time side, for draining on shutdown and for tests. */
    public Realtime hub() {
        return realtime;
    }

    /** This instance's meters, for {@code /observe/metrics}. */
    public MeterRegistry meters() {
        return meters;
    }

    /**
     * Health checks, both readiness checks: without the database nothing works; without the broker this instance's
     * sockets hear nothing from other instances. The broker is not ready while it is DOWN: at start-up until it
     * first connects (the instance comes up and takes REST writes meanwhile; the relay publishes them later), and
     * whenever it lost its connection, is following a failover, or found itself deaf (its own heartbeat stopped
     * coming back). Sockets already open are caught up from the event log when it is back; new ones go to instances
     * that hear everything. The details show the broker's state and its recovery counters.
     */
    public List<HealthCheck> healthChecks() {
        return List.of(
                check("database", HealthCheckType.READINESS, () -> HealthCheckResponse.builder()
                        .status(database.ping()).detail("product", database.product()).build()),
                check("broker", HealthCheckType.READINESS, () -> {
                    io.listsync.broker.BrokerState state = broker.state();
                    io.listsync.broker.BrokerStats stats = broker.stats();
                    return HealthCheckResponse.builder()
                            .status(state == io.listsync.broker.BrokerState.UP)
                            .detail("type", broker.name()).detail("state", state.name())
                            .detail("heartbeatMisses", stats.heartbeatMisses())
                            .detail("resubscriptions", stats.resubscriptions()).build();
                }));
    }

    public ListEventBroker broker() {
        return broker;
    }

    public EventRelay relay() {
        return delivery.relay();
    }

    public EventLogPruner pruner() {
        return pruner;
    }

    public IdempotencyPruner idempotencyPruner() {
        return idempotencyPruner;
    }

    public InvitePruner invitePruner() {
        return invitePruner;
    }

    public Database database() {
        return database;
    }

    /** Closes what this instance opened, newest first: the real-time side and delivery, the broker, the database. */
    @Override
    public void close() {
        closeOpened(null);
    }

    private static ListEventBroker createBroker(Config brokerConfig) {
        String type = brokerConfig.get("type").asString().orElse("inmemory");
        Map<String, String> settings = new HashMap<>();
        brokerConfig.get(type).detach().asMap().ifPresent(settings::putAll);
        ListEventBroker broker = ListEventBrokers.create(type, new BrokerSettings(settings));
        LOG.log(System.Logger.Level.INFO, "Broker: " + broker.name());
        return broker;
    }

    private static HealthCheck check(String name, HealthCheckType type,
                                     java.util.function.Supplier<HealthCheckResponse> call) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckType type() {
                return type;
            }

            @Override
            public HealthCheckResponse call() {
                return call.get();
            }
        };
    }
}
