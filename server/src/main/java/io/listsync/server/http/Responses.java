package io.listsync.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes JSON answers.
 */
public final class Responses {

    private final Json json;

    public Responses(Json json) {
        this.json = json;
    }

    public void ok(ServerResponse res, Object body) {
        send(res, Status.OK_200, body);
    }

    public void created(ServerResponse res, Object body) {
        send(res, Status.CREATED_201, body);
    }

    public void noContent(ServerResponse res) {
        res.status(Status.NO_CONTENT_204).send();
    }

    public void send(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(json.writeBytes(body));
    }
}
