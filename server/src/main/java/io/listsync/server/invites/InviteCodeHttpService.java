package io.listsync.server.invites;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.http.Json;
import io.listsync.server.http.Responses;

/**
 * The invitee's side: {@code GET /api/v1/invites/{code}} (no account needed) and
 * {@code POST /api/v1/invites/{code}/accept}. The code is in the path: the access log masks it.
 */
public final class InviteCodeHttpService implements HttpService {

    private final InviteService invites;
    private final Authenticator authenticator;
    private final Responses responses;

    public InviteCodeHttpService(InviteService invites, Authenticator authenticator, Json json) {
        this.invites = invites;
        this.authenticator = authenticator;
        this.responses = new Responses(json);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{code}", this::preview)
                .post("/{code}/accept", this::accept);
    }

    private void preview(ServerRequest req, ServerResponse res) {
        responses.ok(res, invites.preview(code(req)));
    }

    private void accept(ServerRequest req, ServerResponse res) {
        String userId = authenticator.userId(req);
        responses.ok(res, invites.accept(code(req), userId));
    }

    private static String code(ServerRequest req) {
        return req.path().pathParameters().get("code");
    }
}
