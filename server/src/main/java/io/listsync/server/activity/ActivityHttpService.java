package io.listsync.server.activity;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.http.Json;
import io.listsync.server.http.QueryParams;
import io.listsync.server.http.Responses;

/**
 * {@code GET /api/v1/lists/{listId}/activity?before=&limit=}.
 */
public final class ActivityHttpService implements HttpService {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    private final ActivityService activity;
    private final Authenticator authenticator;
    private final Responses responses;

    public ActivityHttpService(ActivityService activity, Authenticator authenticator, Json json) {
        this.activity = activity;
        this.authenticator = authenticator;
        this.responses = new Responses(json);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{listId}/activity", this::page);
    }

    private void page(ServerRequest req, ServerResponse res) {
        String userId = authenticator.userId(req);
        // versions start at 1, so before=1 is a valid, empty page; 0 or less names nothing
        long before = QueryParams.longParam(req, "before", 1, Long.MAX_VALUE).orElse(Long.MAX_VALUE);
        int limit = QueryParams.intParam(req, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        responses.ok(res, activity.page(req.path().pathParameters().get("listId"), userId, before, limit));
    }
}
