package io.listsync.server.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.listsync.server.db.Database;
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
        Optional<Caller> known = req.context().get(Caller.class);
        if (known.isPresent()) {
            return known.get().userId(); // checked earlier in this request (the idempotency filter asks first)
        }
        String header = req.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> ApiException.unauthorized("Missing Authorization: Bearer token"));
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("Authorization must use the Bearer scheme");
        }
        String userId = verify(header.substring(BEARER.length()).strip())
                .orElseThrow(() -> ApiException.unauthorized("Access token is invalid or expired"))
                .userId();
        if (!users.exists(db.read(), userId)) {
            throw ApiException.unauthorized("The access token's user does not exist");
        }
        req.context().register(new Caller(userId));
        return userId;
    }

    /** The request's authenticated caller, once found. */
    private record Caller(String userId) {
    }

    /** Verifies a raw token, for the WebSocket endpoint's {@code token} parameter. */
    public Optional<AccessTokens.Verified> verify(String token) {
        return tokens.verify(token);
    }
}
