package io.listsync.server.realtime;

import io.listsync.server.auth.AccessTokens;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.db.DatabaseUnavailableException;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The first steps of every socket's join, the same on every endpoint: the caps per address and per user, and the
 * token. A socket that fails one is closed here with its documented code.
 */
final class JoinFailures {

    private JoinFailures() {
    }

    /** The socket's verified token once it holds its places under both caps; empty once it was closed. */
    static Optional<AccessTokens.Verified> admit(ClientSocket socket, SocketCaps caps, Authenticator authenticator) {
        String client = caps.clientOf(socket.address(), socket.forwardedFor());
        SocketCaps.Permit address = caps.admitAddress(client);
        if (address == null) {
            socket.close(CloseCodes.TRY_AGAIN_LATER, "too many sockets from this address; try again later");
            return Optional.empty();
        }
        socket.holdAddressPermit(address);
        Optional<AccessTokens.Verified> token = authenticator.verify(socket.token());
        if (token.isEmpty()) {
            socket.close(CloseCodes.UNAUTHORIZED, "missing, invalid or expired token");
            return Optional.empty();
        }
        socket.authenticated(token.get().userId());
        SocketCaps.Permit user = caps.admitUser(socket.userId(), client);
        if (user == null) {
            socket.close(CloseCodes.TRY_AGAIN_LATER, "too many sockets for this user; try again later");
            return Optional.empty();
        }
        socket.holdUserPermit(user);
        return token;
    }

    /** The database failure under {@code e}, if that is what it is. */
    static Throwable databaseCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return t;
            }
            if (t instanceof DatabaseUnavailableException && t.getCause() == null) {
                return t;
            }
        }
        return null;
    }
}
