package io.listsync.server.auth;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.listsync.server.http.ApiException;
import io.listsync.server.http.Json;
import io.listsync.server.http.JsonBody;
import io.listsync.server.http.Responses;
import io.listsync.server.http.TextRule;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/auth/*} and {@code /api/v1/me}.
 */
public final class AuthHttpService implements HttpService {

    // deliberately loose: one @, something on each side, a dot in the domain; the mailbox decides the rest
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final AuthService auth;
    private final Authenticator authenticator;
    private final RateLimiter perAddress;
    private final Json json;
    private final Responses responses;

    public AuthHttpService(AuthService auth, Authenticator authenticator, RateLimiter perAddress, Json json) {
        this.auth = auth;
        this.authenticator = authenticator;
        this.perAddress = perAddress;
        this.json = json;
        this.responses = new Responses(json);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/auth/register", this::register)
                .post("/auth/login", this::login)
                .post("/auth/refresh", this::refresh)
                .post("/auth/logout", this::logout)
                .get("/me", this::me);
    }

    private void register(ServerRequest req, ServerResponse res) {
        limitAddress(req);
        JsonBody body = JsonBody.read(req, json);
        String email = email(body);
        String password = password(body);
        String displayName = body.requiredString("displayName", 1, 200);
        responses.created(res, auth.register(email, password, displayName));
    }

    private void login(ServerRequest req, ServerResponse res) {
        limitAddress(req);
        JsonBody body = JsonBody.read(req, json);
        String email = body.requiredString("email", 1, 320);
        String password = rawPassword(body);
        responses.ok(res, auth.login(email, password));
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        limitAddress(req);
        JsonBody body = JsonBody.read(req, json);
        responses.ok(res, auth.refresh(body.requiredString("refreshToken", 1, 200)));
    }

    /** Not in the contract's table: revokes the refresh token's family, so a sign-out really ends the session. */
    private void logout(ServerRequest req, ServerResponse res) {
        limitAddress(req);
        auth.logout(JsonBody.read(req, json).requiredString("refreshToken", 1, 200));
        responses.noContent(res);
    }

    private void me(ServerRequest req, ServerResponse res) {
        responses.ok(res, auth.me(authenticator.userId(req)));
    }

    private void limitAddress(ServerRequest req) {
        perAddress.acquire(address(req.remotePeer().address())).ifPresent(retry -> {
            throw ApiException.tooManyRequests("Too many requests from this address; try again later", retry);
        });
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(address);
    }

    private static String email(JsonBody body) {
        String email = body.requiredString("email", 3, 320);
        if (!EMAIL.matcher(email).matches()) {
            throw ApiException.badRequest("'email' is not a valid email address");
        }
        return email;
    }

    private static String password(JsonBody body) {
        String password = rawPassword(body);
        if (TextRule.length(password) < 8) {
            throw ApiException.badRequest("'password' must be at least 8 characters");
        }
        return password;
    }

    /** Passwords are taken as typed: no trimming. */
    private static String rawPassword(JsonBody body) {
        return body.requiredRawString("password", 1, 200);
    }
}
