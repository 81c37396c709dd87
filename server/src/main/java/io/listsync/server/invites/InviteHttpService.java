package io.listsync.server.invites;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.http.ApiException;
import io.listsync.server.http.Json;
import io.listsync.server.http.JsonBody;
import io.listsync.server.http.Responses;
import io.listsync.server.access.Role;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The owner's side of invite links: {@code /api/v1/lists/{listId}/invites}.
 */
public final class InviteHttpService implements HttpService {

    static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);
    static final Duration MAX_EXPIRY = Duration.ofDays(30);
    static final int MAX_USES = 1000;

    private final InviteService invites;
    private final Authenticator authenticator;
    private final Json json;
    private final Responses responses;

    public InviteHttpService(InviteService invites, Authenticator authenticator, Json json) {
        this.invites = invites;
        this.authenticator = authenticator;
        this.json = json;
        this.responses = new Responses(json);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{listId}/invites", this::list)
                .post("/{listId}/invites", this::create)
                .delete("/{listId}/invites/{inviteId}", this::revoke);
    }

    private void list(ServerRequest req, ServerResponse res) {
        responses.ok(res, invites.list(listId(req), authenticator.userId(req)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        String userId = authenticator.userId(req);
        JsonBody body = JsonBody.read(req, json);
        Role role = Role.grantable(body.requiredString("role", 1, 20))
                .orElseThrow(() -> ApiException.badRequest("'role' must be 'editor' or 'viewer'"));
        Duration expiresIn = expiresIn(body.optionalString("expiresIn", 1, 40));
        int maxUses = body.optionalInt("maxUses", 1, MAX_USES).orElse(MAX_USES);
        responses.created(res, invites.create(listId(req), userId, role, expiresIn, maxUses));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        invites.revoke(listId(req), authenticator.userId(req), req.path().pathParameters().get("inviteId"));
        responses.noContent(res);
    }

    /**
     * An ISO-8601 duration, more than zero and up to {@code P30D}: {@code PT1H}, {@code P7D}, {@code P2W} and
     * {@code P1DT12H} all work; years and months (whose length varies) do not.
     */
    static Duration expiresIn(Optional<String> text) {
        if (text.isEmpty()) {
            return DEFAULT_EXPIRY;
        }
        Duration duration = parse(text.get());
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_EXPIRY) > 0) {
            throw ApiException.badRequest("'expiresIn' must be more than zero and at most P30D");
        }
        return duration;
    }

    private static Duration parse(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException notADuration) {
            try {
                Period period = Period.parse(text);
                if (period.getYears() == 0 && period.getMonths() == 0) {
                    return Duration.ofDays(period.getDays());
                }
            } catch (DateTimeParseException notAPeriod) {
                // fall through to the one message
            }
            throw ApiException.badRequest("'expiresIn' must be an ISO-8601 duration such as PT12H, P7D or P2W");
        }
    }

    private static String listId(ServerRequest req) {
        return req.path().pathParameters().get("listId");
    }
}
