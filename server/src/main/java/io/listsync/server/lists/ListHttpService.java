package io.listsync.server.lists;

import io.listsync.server.access.Role;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.http.ApiException;
import io.listsync.server.http.Json;
import io.listsync.server.http.JsonBody;
import io.listsync.server.http.Responses;

/**
 * {@code /api/v1/lists} and {@code /api/v1/lists/{id}/members}.
 */
public final class ListHttpService implements HttpService {

    private final ListService lists;
    private final Authenticator authenticator;
    private final Json json;
    private final Responses responses;

    public ListHttpService(ListService lists, Authenticator authenticator, Json json) {
        this.lists = lists;
        this.authenticator = authenticator;
        this.json = json;
        this.responses = new Responses(json);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::all)
                .post("/", this::create)
                .get("/{listId}", this::get)
                .patch("/{listId}", this::rename)
                .delete("/{listId}", this::delete)
                .get("/{listId}/members", this::members)
                .post("/{listId}/members", this::addMember)
                .patch("/{listId}/members/{userId}", this::changeRole)
                .delete("/{listId}/members/{userId}", this::removeMember);
    }

    private void all(ServerRequest req, ServerResponse res) {
        responses.ok(res, lists.forUser(authenticator.userId(req)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        String userId = authenticator.userId(req);
        String name = JsonBody.read(req, json).requiredString("name", 1, 200);
        responses.created(res, lists.create(userId, name));
    }

    private void get(ServerRequest req, ServerResponse res) {
        responses.ok(res, lists.get(listId(req), authenticator.userId(req)));
    }

    private void rename(ServerRequest req, ServerResponse res) {
        String userId = authenticator.claimedUserId(req);
        String name = JsonBody.read(req, json).requiredString("name", 1, 200);
        responses.ok(res, lists.rename(listId(req), userId, name));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        lists.delete(listId(req), authenticator.userId(req));
        responses.noContent(res);
    }

    private void members(ServerRequest req, ServerResponse res) {
        responses.ok(res, lists.members(listId(req), authenticator.userId(req)));
    }

    private void addMember(ServerRequest req, ServerResponse res) {
        String userId = authenticator.userId(req);
        JsonBody body = JsonBody.read(req, json);
        String email = body.requiredString("email", 1, 320);
        Role role = role(body);
        responses.created(res, lists.addMember(listId(req), userId, email, role));
    }

    private void changeRole(ServerRequest req, ServerResponse res) {
        String userId = authenticator.userId(req);
        Role role = role(JsonBody.read(req, json));
        responses.ok(res, lists.changeRole(listId(req), userId, req.path().pathParameters().get("userId"), role));
    }

    private void removeMember(ServerRequest req, ServerResponse res) {
        lists.removeMember(listId(req), authenticator.userId(req), req.path().pathParameters().get("userId"));
        responses.noContent(res);
    }

    private static Role role(JsonBody body) {
        String role = body.requiredString("role", 1, 20);
        return Role.grantable(role)
                .orElseThrow(() -> ApiException.badRequest("'role' must be 'editor' or 'viewer'"));
    }

    static String listId(ServerRequest req) {
        return req.path().pathParameters().get("listId");
    }
}
