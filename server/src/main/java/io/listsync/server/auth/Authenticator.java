package io.listsync.server.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.listsync.server.db.Database;
import io.listsync.server.errors.DomainException;
import io.listsync.server.http.ApiException;
import io.listsync.server.users.UserRepository;

import java.util.Optional;

/**
 * Finds the caller of a REST request from its {@code Authorization: Bearer} access token.
 */
public final class Authenticator {

    private static final String BEARER = "Bearer ";

    private final AccessTokens tokens;
    private final Database db;
    private final UserRepository users;

    public Authenticator(AccessTokens tokens, Database db, UserRepository users) {
        this.tokens = tokens;
        this.db = db;
        this.users = users;
    }

    /**
     * @return the caller's user id: a validly signed, unexpired token of a user who exists
     * @throws ApiException 401 when the token is missing, invalid or expired, or its user no longer exists (a token
     *                      outlives the account it was issued for: it is signed, not stored)
     */
    public String userId(ServerRequest req) {
        Caller caller = caller(req);
        if (!caller.known()) {
            if (!users.exists(db.read(), caller.userId())) {
                throw ApiException.unauthorized(DomainException.NO_SUCH_USER);
            }
            req.context().register(new Caller(caller.userId(), true));
        }
        return caller.userId();
    }

    /**
     * The user id of a validly signed, unexpired token, not yet checked against the users: for a change to a list,
     * whose transaction reads the caller's membership row anyway. That row exists only for a user who does (its
     * foreign key cascades when the user goes), and where it is missing {@link io.listsync.server.access.ListAccess}
     * asks the users table whether to answer 401 or 404. Saves each write a round trip to the database.
     *
     * @throws ApiException 401 when the token is missing, invalid or expired
     */
    public String claimedUserId(ServerRequest req) {
        return caller(req).userId();
    }

    private Caller caller(ServerRequest req) {
        Optional<Caller> known = req.context().get(Caller.class);
        if (known.isPresent()) {
            return known.get(); // read earlier in this request (the idempotency filter asks first)
        }
        String header = req.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> ApiException.unauthorized("Missing Authorization: Bearer token"));
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("Authorization must use the Bearer scheme");
        }
        String userId = verify(header.substring(BEARER.length()).strip())
                .orElseThrow(() -> ApiException.unauthorized("Access token is invalid or expired"))
                .userId();
        Caller caller = new Caller(userId, false);
        req.context().register(caller);
        return caller;
    }

    /** The request's caller, once read from its token; {@code known}: found among the users, too. */
    private record Caller(String userId, boolean known) {
    }

    /** Verifies a raw token, for the WebSocket endpoint's {@code token} parameter. */
    public Optional<AccessTokens.Verified> verify(String token) {
        return tokens.verify(token);
    }
}
