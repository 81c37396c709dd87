package io.listsync.server.suggestions;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.http.Json;
import io.listsync.server.http.QueryParams;
import io.listsync.server.http.Responses;

/**
 * {@code GET /api/v1/lists/{listId}/suggestions?q=&limit=}.
 */
public final class SuggestionHttpService implements HttpService {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;
    static final int QUERY_MAX = 200;

    private final SuggestionService suggestions;
    private final Authenticator authenticator;
    private final Responses responses;

    public SuggestionHttpService(SuggestionService suggestions, Authenticator authenticator, Json json) {
        this.suggestions = suggestions;
        this.authenticator = authenticator;
        this.responses = new Responses(json);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{listId}/suggestions", this::suggest);
    }

    private void suggest(ServerRequest req, ServerResponse res) {
        String userId = authenticator.userId(req);
        String query = QueryParams.textParam(req, "q", QUERY_MAX);
        int limit = QueryParams.intParam(req, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        responses.ok(res, suggestions.suggest(req.path().pathParameters().get("listId"), userId, query, limit));
    }
}
