package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.websocket.WsListener;
import io.listsync.broker.BrokerState;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.server.auth.AccessTokens;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.http.Json;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This instance's real-time side: the open sockets, one {@link ListChannel} per watched list, joining
 * (authenticate, check membership, {@code hello}, replay from {@code since}, then live), keepalive, and
 * recovery after the broker was away.
 */
public final class ListHub implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ListHub.class.getName());

    private final ListEventBroker broker;
    private final ListHistory history;
    private final Authenticator authenticator;
    private final RealtimeSettings settings;
    private final Json json;
    private final RealtimeMetrics metrics;
    private final ConcurrentHashMap<String, ListChannel> channels = new ConcurrentHashMap<>();
    private final Set<ListSocket> sockets = ConcurrentHashMap.newKeySet();
    /** Keepalive ticks per ping interval; each tick pings one slice of the sockets. */
    private static final int KEEPALIVE_SLICES = 30;
    private long keepaliveTicks; // only the scheduler thread
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledThreadPoolExecutor scheduler = timer();
    private final AtomicReference<BrokerState> lastBrokerState;
    private final SocketCaps caps;

    public ListHub(ListEventBroker broker, io.listsync.server.db.Database database,
                   io.listsync.server.changes.EventLog log, Authenticator authenticator,
                   RealtimeSettings settings, Json json) {
        this.broker = broker;
        this.history = new ListHistory(database, log);
        this.authenticator = authenticator;
        this.settings = settings;
        this.json = json;
        this.metrics = new RealtimeMetrics(sockets::size, channels::size);
        this.lastBrokerState = new AtomicReference<>(broker.state());
        this.caps = new SocketCaps(settings.maxSocketsPerUser(), settings.maxSocketsPerAddress());
        long tick = Math.max(1, settings.pingInterval().toMillis() / KEEPALIVE_SLICES);
        scheduler.scheduleAtFixedRate(this::keepalive, tick, tick, TimeUnit.MILLISECONDS);
        broker.onStateChange(this::brokerStateChanged);
    }

    /** The endpoint's route: {@code /api/v1/ws/lists/{id}}. */
    public static final String PATH = ListSocket.PATH;

    /** A listener for one new WebSocket connection. */
    public WsListener newSocket() {
        return new ListSocket(this, settings.maxFrameBytes());
    }

    /** Counts a committed event handed to the broker. */
    public void published() {
        metrics.published();
    }

    /** The endpoint's settings, for the server's WebSocket protocol configuration. */
    public RealtimeSettings settings() {
        return settings;
    }

    public int openSockets() {
        return sockets.size();
    }

    /**
     * Joins an opened socket to its list; runs on the connection's thread, so it may read the database. Ends with
     * {@code hello} or a close: when the database is down, a 1011 within the pool's connection timeout.
     */
    void join(ListSocket socket) {
        try {
            joinOrClose(socket);
        } catch (RuntimeException e) {
            Throwable database = databaseCause(e);
            if (database != null) {
                // expected during a database outage, once per joining socket: no stack trace
                LOG.log(Level.WARNING, "A socket could not join list " + socket.listId() + " (database: "
                        + database.getMessage() + "); the client is asked to reconnect");
            } else {
                LOG.log(Level.WARNING, "Joining list " + socket.listId() + " failed; the client is asked to reconnect",
                        e);
            }
            socket.close(CloseCodes.SERVER_ERROR, "server error; reconnect");
        }
        if (socket.isGone()) {
            leave(socket); // its connection ended while it joined: undo what the join added after that
        }
    }

    /** The database failure under {@code e}, if that is what it is. */
    private static Throwable databaseCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException) {
                return t;
            }
            if (t instanceof io.listsync.server.db.DatabaseUnavailableException && t.getCause() == null) {
                return t;
            }
        }
        return null;
    }

    private void joinOrClose(ListSocket socket) {
        SocketCaps.Permit address = caps.admitAddress(socket.address());
        if (address == null) {
            socket.close(CloseCodes.TRY_AGAIN_LATER, "too many sockets from this address; try again later");
            return;
        }
        socket.holdAddressPermit(address);
        Optional<AccessTokens.Verified> token = authenticator.verify(socket.token());
        if (token.isEmpty()) {
            socket.close(CloseCodes.UNAUTHORIZED, "missing, invalid or expired token");
            return;
        }
        socket.authenticated(token.get().userId());
        SocketCaps.Permit user = caps.admitUser(socket.userId());
        if (user == null) {
            socket.close(CloseCodes.TRY_AGAIN_LATER, "too many sockets for this user; try again later");
            return;
        }
        socket.holdUserPermit(user);
        String listId = socket.listId();
        if (listId.isEmpty() || listId.length() > 100 || listId.contains("/")) {
            socket.close(CloseCodes.NOT_FOUND, "no such list");
            return;
        }
        ListChannel channel = attach(socket);
        OptionalLong current = history.versionForMember(listId, socket.userId());
        if (current.isEmpty()) {
            socket.close(CloseCodes.NOT_FOUND, "no such list, or not a member");
            return;
        }
        sockets.add(socket);
        scheduleExpiry(socket, token.get().expiresAt());
        long version = current.getAsLong();
        socket.send(Frames.hello(json.write(listId), version));
        replay(socket, version);
        channel.goLive(socket, version);
    }

    /** After {@code hello}: what the client missed since its {@code since}, or a resync. */
    private void replay(ListSocket socket, long version) {
        String since = socket.since();
        if (since == null) {
            return;
        }
        long from;
        try {
            from = Long.parseLong(since);
        } catch (NumberFormatException e) {
            from = -1;
        }
        if (from < 0 || from > version) {
            metrics.resync();
            socket.send(Frames.resync(version));
            return;
        }
        if (from == version) {
            return;
        }
        List<ListEvent> missed = version - from > settings.maxBacklog()
                ? List.of()
                : history.between(socket.listId(), from, version);
        if (missed.size() != version - from) {
            // older than the retained log (or more than a socket may hold): the client refetches
            metrics.resync();
            socket.send(Frames.resync(version));
            return;
        }
        missed.forEach(socket::sendEvent);
    }

    /**
     * The server closes a socket (its close frame is queued): it gets nothing more, and its connection is dropped
     * if the client has not answered the close within {@code realtime.close-timeout}.
     */
    void closing(ListSocket socket) {
        detach(socket);
        cancel(socket.expiry());
        socket.closeDeadline(scheduler.schedule(() -> executor.execute(socket::abort),
                settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        if (socket.isGone()) {
            cancel(socket.closeDeadline()); // it ended meanwhile, maybe before the deadline was there to cancel
        }
    }

    /**
     * A socket's connection has ended (however it ended): it leaves the open sockets, the fan-out and the caps,
     * and nothing scheduled keeps it reachable. Idempotent.
     */
    void leave(ListSocket socket) {
        socket.markGone();
        cancel(socket.expiry());
        cancel(socket.closeDeadline());
        detach(socket);
        socket.discard();
        socket.releasePermits();
        sockets.remove(socket); // last: once the gauge drops, everything else is released
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    private ListChannel attach(ListSocket socket) {
        while (true) {
            ListChannel channel = channels.computeIfAbsent(socket.listId(), id -> new ListChannel(id, this));
            if (channel.add(socket)) {
                socket.attached(channel);
                channel.ensureOpen();
                return channel;
            }
            channels.remove(socket.listId(), channel);
        }
    }

    private void detach(ListSocket socket) {
        ListChannel channel = socket.channel();
        if (channel != null && channel.remove(socket)) {
            channels.remove(channel.listId(), channel);
            executor.execute(channel::release);
        }
    }

    void listDeleted(ListChannel channel) {
        channels.remove(channel.listId(), channel);
        channel.closeAll(CloseCodes.NOT_FOUND, "the list was deleted");
        executor.execute(channel::release);
    }

    /** The channel could not read its baseline (or subscribe); joiners make a new one. */
    void channelFailed(ListChannel channel) {
        channels.remove(channel.listId(), channel);
    }

    private void scheduleExpiry(ListSocket socket, Instant expiresAt) {
        long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
        socket.expiry(scheduler.schedule(() -> socket.close(CloseCodes.UNAUTHORIZED, "token expired"),
                delay, TimeUnit.MILLISECONDS));
    }

    /**
     * One keepalive tick: pings the sockets of one slice, so each socket is pinged once per interval but never all
     * at once (pinging 20,000 sockets in one instant, and parsing their 20,000 pongs, delayed events by ~0.9 s).
     */
    private void keepalive() {
        try {
            int slice = (int) (keepaliveTicks++ % KEEPALIVE_SLICES);
            sockets.forEach(socket -> {
                if (Math.floorMod(System.identityHashCode(socket), KEEPALIVE_SLICES) == slice) {
                    socket.keepalive();
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Keepalive tick failed", e);
        }
    }

    private void brokerStateChanged(BrokerState state) {
        BrokerState previous = lastBrokerState.getAndSet(state);
        if (state == BrokerState.UP && previous != BrokerState.UP) {
            LOG.log(Level.INFO, "Broker is back; catching up " + channels.size() + " lists from the event log");
            channels.values().forEach(ListChannel::catchUp);
        } else if (state == BrokerState.DOWN) {
            LOG.log(Level.WARNING, "Broker connection lost; sockets will be caught up when it returns");
        }
    }

    /** The {@code type} of a client frame that is a JSON object with only a type; null otherwise. */
    String messageType(String frame) {
        // the frames every client sends, without a parse
        if (frame.equals(Frames.PONG)) {
            return "pong";
        }
        if (frame.equals(Frames.PING)) {
            return "ping";
        }
        try {
            JsonNode node = json.mapper().readTree(frame);
            return ListSocket.type(node);
        } catch (IOException e) {
            return null;
        }
    }

    String userIdOf(ListEvent control) {
        try {
            JsonNode node = json.mapper().readTree(control.payload());
            return node.path("userId").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Closes every socket with 1001 so clients reconnect (to another instance), waiting up to {@code grace} for
     * their connections to end.
     */
    public void drain(Duration grace) {
        sockets.forEach(s -> s.close(CloseCodes.GOING_AWAY, "server shutting down"));
        long deadline = System.nanoTime() + grace.toNanos();
        while (!sockets.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        executor.shutdownNow();
    }

    // ---- for channels and sockets ---------------------------------------------------------------------------

    ListEventBroker broker() {
        return broker;
    }

    ListHistory history() {
        return history;
    }

    RealtimeMetrics metrics() {
        return metrics;
    }

    ExecutorService executor() {
        return executor;
    }

    /**
     * Runs each outbox drain on a fresh virtual thread. Not {@link #executor}: a thread-per-task executor records
     * every thread it starts in a concurrent set, and with one drain per socket per event (100,000 a second on a
     * crowded list) adding to and removing from that set was ~13% of the server's CPU samples.
     */
    java.util.concurrent.Executor writers() {
        return Thread::startVirtualThread;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The joined sockets whose connections have not ended; for tests. */
    List<ListSocket> openSocketList() {
        return List.copyOf(sockets);
    }

    /**
     * One timer thread for keepalive, token expiry and close deadlines. Cancelled tasks leave its queue at once:
     * by default a cancelled token expiry would stay queued (holding its socket) until the token's expiry time.
     */
    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("listsync-realtime-timer").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
