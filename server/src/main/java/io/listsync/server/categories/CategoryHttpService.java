package io.listsync.server.categories;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.changes.ClientIds;
import io.listsync.server.http.ApiException;
import io.listsync.server.http.Json;
import io.listsync.server.http.JsonBody;
import io.listsync.server.http.NumberRule;
import io.listsync.server.http.Responses;

/**
 * {@code /api/v1/lists/{listId}/categories}.
 */
public final class CategoryHttpService implements HttpService {

    private final CategoryService categories;
    private final Authenticator authenticator;
    private final Json json;
    private final Responses responses;

    public CategoryHttpService(CategoryService categories, Authenticator authenticator, Json json) {
        this.categories = categories;
        this.authenticator = authenticator;
        this.json = json;
        this.responses = new Responses(json);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{listId}/categories", this::list)
                .post("/{listId}/categories", this::create)
                .patch("/{listId}/categories/{categoryId}", this::update)
                .delete("/{listId}/categories/{categoryId}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        responses.ok(res, categories.list(listId(req), authenticator.userId(req)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        String userId = authenticator.claimedUserId(req);
        JsonBody body = JsonBody.read(req, json);
        responses.created(res, categories.create(listId(req), userId, ClientIds.read(body),
                body.requiredString("name", 1, 200),
                body.optionalInt("position", NumberRule.POSITION)));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String userId = authenticator.claimedUserId(req);
        JsonBody body = JsonBody.read(req, json);
        body.requireAnyOf("name", "position");
        if (body.isNull("name") || body.isNull("position")) {
            throw ApiException.badRequest(body.isNull("name") ? "'name' must not be null" : "'position' must not be null");
        }
        responses.ok(res, categories.update(listId(req), userId, categoryId(req),
                body.optionalString("name", 1, 200), body.optionalInt("position", NumberRule.POSITION)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        categories.delete(listId(req), authenticator.claimedUserId(req), categoryId(req));
        responses.noContent(res);
    }

    private static String listId(ServerRequest req) {
        return req.path().pathParameters().get("listId");
    }

    private static String categoryId(ServerRequest req) {
        return req.path().pathParameters().get("categoryId");
    }
}
