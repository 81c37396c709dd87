package io.listsync.server.realtime;

import io.listsync.broker.ListEvent;
import io.listsync.server.auth.AccessTokens;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.http.Json;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;

/**
 * The life of a list socket: joining (caps, token, membership, {@code hello}, replay from {@code since}, then
 * live, and presence if asked for), the server's close, and the end of its connection. It registers with the
 * {@link ListHub}, the {@link Keepalive} and the {@link PresenceBoard}; none of them calls back.
 */
final class ListJoin implements ClientSocket.Lifecycle<ListSocket> {

    private static final System.Logger LOG = System.getLogger(ListJoin.class.getName());

    private final ListHub hub;
    private final Keepalive keepalive;
    private final SocketCaps caps;
    private final Authenticator authenticator;
    private final ListHistory history;
    private final PresenceBoard presence;
    private final RealtimeSettings settings;
    private final RealtimeMetrics metrics;
    private final Json json;
    private final Executor executor;

    ListJoin(ListHub hub, Keepalive keepalive, SocketCaps caps, Authenticator authenticator, ListHistory history,
             PresenceBoard presence, SocketTools tools) {
        this.hub = hub;
        this.keepalive = keepalive;
        this.caps = caps;
        this.authenticator = authenticator;
        this.history = history;
        this.presence = presence;
        this.settings = tools.settings();
        this.metrics = tools.metrics();
        this.json = tools.json();
        this.executor = tools.executor();
    }

    /**
     * Runs on the connection's thread, so it may read the database. Ends with {@code hello} or a close: when the
     * database is down, a 1011 within the pool's connection timeout.
     */
    @Override
    public void opened(ListSocket socket) {
        try {
            joinOrClose(socket);
        } catch (RuntimeException e) {
            Throwable database = JoinFailures.databaseCause(e);
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
            ended(socket); // its connection ended while it joined: undo what the join added after that
        }
    }

    private void joinOrClose(ListSocket socket) {
        Optional<AccessTokens.Verified> token = JoinFailures.admit(socket, caps, authenticator);
        if (token.isEmpty()) {
            return;
        }
        String listId = socket.listId();
        if (listId.isEmpty() || listId.length() > 100 || listId.contains("/")) {
            socket.close(CloseCodes.NOT_FOUND, "no such list");
            return;
        }
        ListChannel channel = hub.attach(socket);
        // the gate is the pool's: it covers the read, not the broker's subscribe before it
        OptionalLong current = channel.ensureOpen(
                () -> history.forJoin(() -> history.versionForMember(listId, socket.userId())));
        if (current.isEmpty()) {
            socket.close(CloseCodes.NOT_FOUND, "no such list, or not a member");
            return;
        }
        hub.joined(socket);
        socket.expiry(keepalive.expireAt(token.get().expiresAt(),
                () -> socket.close(CloseCodes.UNAUTHORIZED, "token expired")));
        long version = current.getAsLong();
        if (socket.wantsPresence()) {
            socket.displayName(history.displayName(socket.userId()));
            presence.join(listId, socket, viewers -> socket.send(Frames.hello(json.write(listId), version, viewers)));
        } else {
            socket.send(Frames.hello(json.write(listId), version));
        }
        replay(socket, version);
        channel.goLive(socket, version);
        keepalive.add(socket); // after hello: a ping never comes first
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
    @Override
    public void closing(ListSocket socket) {
        detach(socket);
        Keepalive.cancel(socket.expiry());
        socket.closeDeadline(keepalive.deadline(settings.closeTimeout(), executor, socket::abort));
        if (socket.isGone()) {
            Keepalive.cancel(socket.closeDeadline()); // it ended meanwhile, maybe before the deadline was there
        }
    }

    /**
     * A socket's connection has ended (however it ended): it leaves the open sockets, the fan-out and the caps,
     * and nothing scheduled keeps it reachable. Idempotent.
     */
    @Override
    public void ended(ListSocket socket) {
        socket.markGone();
        Keepalive.cancel(socket.expiry());
        Keepalive.cancel(socket.closeDeadline());
        detach(socket);
        keepalive.remove(socket);
        socket.discard();
        socket.releasePermits();
        hub.left(socket); // last: once the gauge drops, everything else is released
    }

    private void detach(ListSocket socket) {
        if (socket.wantsPresence()) {
            presence.leave(socket.listId(), socket);
        }
        ListChannel last = hub.detach(socket);
        if (last != null) {
            executor.execute(last::release);
        }
    }
}
