package io.listsync.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Errors Helidon answers itself, before any route runs (a malformed request line or header, a bad
 * {@code Content-Length}, HTTP/1.0), as RFC 9457 problem+json like every other error, instead of plain text.
 */
public final class DirectProblems implements DirectHandler {

    private final Json json;

    public DirectProblems(Json json) {
        this.json = json;
    }

    /** Handlers for every kind of event Helidon answers directly. */
    public DirectHandlers handlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, this);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String detail = message == null || message.isBlank() ? status.reasonPhrase() : message;
        Problem problem = new Problem(Problem.TYPE_BASE + "http", status.reasonPhrase(), status.code(), detail);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/problem+json")
                .entity(json.writeBytes(problem))
                .build();
    }
}
