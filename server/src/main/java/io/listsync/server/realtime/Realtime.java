package io.listsync.server.realtime;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.websocket.WsRouting;
import io.listsync.broker.BrokerState;
import io.listsync.broker.ListEventBroker;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.changes.EventLog;
import io.listsync.server.db.Database;
import io.listsync.server.http.Json;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This instance's real-time side, wired once: the list socket ({@code /api/v1/ws/lists/{id}}, with presence) and
 * the user socket ({@code /api/v1/ws/me}). Data flows one way, from the broker to the sockets:
 * <pre>
 *   broker ─▶ ListChannel (one per watched list) ─▶ Subscriber (ListSocket)
 *          ─▶ UserFeeds   (one per user here)     ─▶ UserSocket
 *          ─▶ PresenceBoard (per list)            ─▶ PresenceViewer (ListSocket with presence=true)
 * </pre>
 * Registries ({@link ListHub}, {@link UserFeeds}) only register; the joins ({@link ListJoin}, {@link UserJoin}) run a
 * socket's life; {@link Keepalive} owns the clocks. This class only builds them and, when the broker comes back
 * after an outage, asks each of them to recover.
 */
public final class Realtime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Realtime.class.getName());

    private final RealtimeSettings settings;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Keepalive keepalive;
    private final ListHub lists;
    private final UserFeeds users;
    private final PresenceBoard presence;
    private final ListJoin listJoin;
    private final UserJoin userJoin;
    private final SocketTools tools;
    private final RealtimeMetrics metrics;
    private final AtomicReference<BrokerState> lastBrokerState;

    public Realtime(ListEventBroker broker, Database database, EventLog log, Authenticator authenticator,
                    RealtimeSettings settings, Json json, MeterRegistry registry) {
        this.settings = settings;
        this.keepalive = new Keepalive(settings.pingInterval());
        ListHistory history = new ListHistory(database, log);
        this.metrics = new RealtimeMetrics(registry, broker, this::openSockets, this::channelCount);
        this.tools = new SocketTools(settings, json, metrics, executor, Thread::startVirtualThread);
        ListChannel.Deps channelDeps = new ListChannel.Deps(broker, history, metrics, executor, keepalive.timer());
        this.lists = new ListHub(listId -> new ListChannel(listId, channelDeps));
        this.users = new UserFeeds(broker, json, executor, new OverviewReads(database, json), keepalive.timer());
        this.presence = new PresenceBoard(broker, json, keepalive.timer(), executor, settings.pingInterval());
        SocketCaps caps = new SocketCaps(settings.maxSocketsPerUser(), settings.maxSocketsPerAddress(),
                settings.trustedProxies());
        this.listJoin = new ListJoin(lists, keepalive, caps, authenticator, history, presence, tools);
        this.userJoin = new UserJoin(users, keepalive, caps, authenticator, tools);
        this.lastBrokerState = new AtomicReference<>(broker.state());
        broker.onStateChange(this::brokerStateChanged);
    }

    /** Both endpoints. */
    public void routing(WsRouting.Builder routing) {
        routing.endpoint(ListSocket.PATH, () -> new ListSocket(tools, listJoin))
                .endpoint(UserSocket.PATH, () -> new UserSocket(tools, userJoin, keepalive.timer()));
    }

    /** The endpoints' settings, for the server's WebSocket protocol configuration. */
    public RealtimeSettings settings() {
        return settings;
    }

    /** Open list and user sockets. */
    public int openSockets() {
        return lists.openSockets() + users.openSockets();
    }

    private int channelCount() {
        return lists.channelCount();
    }

    /** The joined list sockets whose connections have not ended; for tests. */
    List<ListSocket> openSocketList() {
        return lists.sockets();
    }

    /**
     * After an outage events may have been missed, and so may the notices that a member was removed or the list
     * deleted: every channel re-reads its members and version, every user feed tells its clients to refetch, and
     * presence asks the other instances to announce.
     */
    private void brokerStateChanged(BrokerState state) {
        BrokerState previous = lastBrokerState.getAndSet(state);
        if (state == BrokerState.UP && previous != BrokerState.UP) {
            List<ListChannel> channels = lists.channels();
            LOG.log(Level.INFO, "Broker is back; catching up " + channels.size() + " lists from the event log");
            channels.forEach(ListChannel::recheck);
            users.recover();
            presence.recover();
        } else if (state == BrokerState.DOWN) {
            LOG.log(Level.WARNING, "Broker connection lost; sockets will be caught up when it returns");
        }
    }

    /**
     * Closes every socket with 1001 so clients reconnect (to another instance), waiting up to {@code grace} for
     * their connections to end.
     */
    public void drain(Duration grace) {
        lists.sockets().forEach(s -> s.close(CloseCodes.GOING_AWAY, "server shutting down"));
        users.sockets().forEach(s -> s.close(CloseCodes.GOING_AWAY, "server shutting down"));
        long deadline = System.nanoTime() + grace.toNanos();
        while (openSockets() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // polling the count the connections' own threads bring down
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        metrics.close();
        presence.close();
        keepalive.close();
        executor.shutdownNow();
    }
}
