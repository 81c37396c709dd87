package io.listsync.server.items;

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
import io.listsync.server.items.ItemChanges.BulkDelete;
import io.listsync.server.items.ItemChanges.ItemPatch;
import io.listsync.server.items.ItemChanges.NewItem;

import java.util.Optional;

/**
 * {@code /api/v1/lists/{listId}/items}.
 */
public final class ItemHttpService implements HttpService {

    static final int NAME_MAX = 200;
    static final int QUANTITY_MAX = 50;
    static final int NOTE_MAX = 2000;
    static final int BULK_MAX = 1000;

    private final ItemService items;
    private final Authenticator authenticator;
    private final Json json;
    private final Responses responses;

    public ItemHttpService(ItemService items, Authenticator authenticator, Json json) {
        this.items = items;
        this.authenticator = authenticator;
        this.json = json;
        this.responses = new Responses(json);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{listId}/items", this::list)
                .post("/{listId}/items", this::create)
                .post("/{listId}/items/bulk-delete", this::bulkDelete)
                .patch("/{listId}/items/{itemId}", this::update)
                .delete("/{listId}/items/{itemId}", this::delete)
                .post("/{listId}/items/{itemId}/check", (req, res) -> check(req, res, true))
                .post("/{listId}/items/{itemId}/uncheck", (req, res) -> check(req, res, false));
    }

    private void list(ServerRequest req, ServerResponse res) {
        String userId = authenticator.userId(req);
        boolean includeChecked = includeChecked(req);
        ItemRepository.Snapshot snapshot = items.list(listId(req), userId, includeChecked);
        responses.ok(res, snapshot);
    }

    private void create(ServerRequest req, ServerResponse res) {
        String userId = authenticator.claimedUserId(req);
        JsonBody body = JsonBody.read(req, json);
        NewItem item = new NewItem(ClientIds.read(body), body.requiredString("name", 1, NAME_MAX),
                body.optionalString("quantity", 0, QUANTITY_MAX).filter(q -> !q.isEmpty()),
                body.optionalString("note", 0, NOTE_MAX).filter(n -> !n.isEmpty()),
                body.optionalString("categoryId", 1, 100));
        responses.created(res, items.create(listId(req), userId, item));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String userId = authenticator.claimedUserId(req);
        JsonBody body = JsonBody.read(req, json);
        body.requireAnyOf("name", "quantity", "note", "categoryId", "position");
        if (body.isNull("name")) {
            throw ApiException.badRequest("'name' must not be null");
        }
        if (body.isNull("position")) {
            throw ApiException.badRequest("'position' must not be null");
        }
        ItemPatch patch = new ItemPatch(
                body.optionalString("name", 1, NAME_MAX),
                nullable(body, "quantity", QUANTITY_MAX),
                nullable(body, "note", NOTE_MAX),
                nullable(body, "categoryId", 100),
                body.optionalInt("position", NumberRule.POSITION));
        responses.ok(res, items.update(listId(req), userId, itemId(req), patch));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        items.delete(listId(req), authenticator.claimedUserId(req), itemId(req));
        responses.noContent(res);
    }

    private void check(ServerRequest req, ServerResponse res, boolean checked) {
        responses.ok(res, items.check(listId(req), authenticator.claimedUserId(req), itemId(req), checked));
    }

    private void bulkDelete(ServerRequest req, ServerResponse res) {
        String userId = authenticator.claimedUserId(req);
        JsonBody body = JsonBody.read(req, json);
        Optional<java.util.List<String>> ids = body.optionalStringArray("itemIds", BULK_MAX);
        Optional<Boolean> checked = body.optionalBoolean("checked");
        BulkDelete request;
        if (ids.isPresent() && checked.isEmpty()) {
            request = new BulkDelete.Ids(ids.get().stream().distinct().toList());
        } else if (ids.isEmpty() && checked.isPresent()) {
            if (!checked.get()) {
                throw ApiException.badRequest("'checked' must be true");
            }
            request = new BulkDelete.Checked();
        } else {
            throw ApiException.badRequest("Body must contain either 'itemIds' or 'checked': true");
        }
        responses.ok(res, items.bulkDelete(listId(req), userId, request));
    }

    /** Absent: keep; null or empty string: clear; otherwise the new value. */
    private static Optional<Optional<String>> nullable(JsonBody body, String field, int max) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        return Optional.of(body.optionalString(field, 0, max).filter(s -> !s.isEmpty()));
    }

    private static boolean includeChecked(ServerRequest req) {
        return req.query().first("includeChecked").asOptional().map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("'includeChecked' must be true or false");
        }).orElse(true);
    }

    private static String listId(ServerRequest req) {
        return req.path().pathParameters().get("listId");
    }

    private static String itemId(ServerRequest req) {
        return req.path().pathParameters().get("itemId");
    }
}
