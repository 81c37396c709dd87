package io.listsync.server.realtime;

import io.listsync.server.auth.AccessTokens;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.http.Json;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The life of a user socket ({@code /api/v1/ws/me}): joining (caps, token, the user's feed, {@code hello}), the
 * server's close and the end of its connection. It registers with {@link UserFeeds} and the {@link Keepalive};
 * neither calls back.
 */
final class UserJoin implements ClientSocket.Lifecycle<UserSocket> {

    private static final System.Logger LOG = System.getLogger(UserJoin.class.getName());

    private final UserFeeds feeds;
    private final Keepalive keepalive;
    private final SocketCaps caps;
    private final Authenticator authenticator;
    private final RealtimeSettings settings;
    private final Json json;
    private final Executor executor;

    UserJoin(UserFeeds feeds, Keepalive keepalive, SocketCaps caps, Authenticator authenticator, SocketTools tools) {
        this.feeds = feeds;
        this.keepalive = keepalive;
        this.caps = caps;
        this.authenticator = authenticator;
        this.settings = tools.settings();
        this.json = tools.json();
        this.executor = tools.executor();
    }

    @Override
    public void opened(UserSocket socket) {
        try {
            Optional<AccessTokens.Verified> token = JoinFailures.admit(socket, caps, authenticator);
            if (token.isPresent()) {
                feeds.attach(socket); // subscribed before hello: nothing published after hello is missed
                socket.expiry(keepalive.expireAt(token.get().expiresAt(),
                        () -> socket.close(CloseCodes.UNAUTHORIZED, "token expired")));
                socket.send(Frames.userHello(json.write(socket.userId())));
                keepalive.add(socket); // after hello: a ping never comes first
            }
        } catch (RuntimeException e) {
            Throwable database = JoinFailures.databaseCause(e);
            LOG.log(Level.WARNING, "A user socket could not join; the client is asked to reconnect"
                    + (database != null ? " (database: " + database.getMessage() + ")" : ""),
                    database != null ? null : e);
            socket.close(CloseCodes.SERVER_ERROR, "server error; reconnect");
        }
        if (socket.isGone()) {
            ended(socket);
        }
    }

    @Override
    public void closing(UserSocket socket) {
        feeds.detach(socket);
        Keepalive.cancel(socket.expiry());
        socket.closeDeadline(keepalive.deadline(settings.closeTimeout(), executor, socket::abort));
        if (socket.isGone()) {
            Keepalive.cancel(socket.closeDeadline());
        }
    }

    @Override
    public void ended(UserSocket socket) {
        socket.markGone();
        Keepalive.cancel(socket.expiry());
        Keepalive.cancel(socket.closeDeadline());
        feeds.detach(socket);
        keepalive.remove(socket);
        socket.discard();
        socket.releasePermits();
    }
}
