package io.listsync.server.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.listsync.server.http.ApiException;

import java.util.Optional;

/**
 * Finds the caller of a REST request from its {@code Authorization: Bearer} access token.
 */
public final class Authenticator {

    private static final String BEARER = "Bearer ";

    private final AccessTokens tokens;

    public Authenticator(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /**
     * @return the caller's user id
     * @throws ApiException 401 when the token is missing, invalid or expired
     */
    public String userId(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> ApiException.unauthorized("Missing Authorization: Bearer token"));
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("Authorization must use the Bearer scheme");
        }
        return verify(header.substring(BEARER.length()).strip())
                .orElseThrow(() -> ApiException.unauthorized("Access token is invalid or expired"))
                .userId();
    }

    /** Verifies a raw token, for the WebSocket endpoint's {@code token} parameter. */
    public Optional<AccessTokens.Verified> verify(String token) {
        return tokens.verify(token);
    }
}
