package io.listsync.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.listsync.server.db.DatabaseUnavailableException;

import java.lang.System.Logger.Level;

/**
 * Maps every failure of a REST call to an RFC 9457 problem+json answer, in one place.
 */
public final class ProblemHandler {

    private static final System.Logger LOG = System.getLogger(ProblemHandler.class.getName());

    private final Json json;

    public ProblemHandler(Json json) {
        this.json = json;
    }

    public void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> send(res, e));
        routing.error(DatabaseUnavailableException.class, (req, res, e) -> {
            LOG.log(Level.WARNING, "Database unavailable", e);
            send(res, ApiException.unavailable("The database is not reachable; try again shortly"));
        });
        routing.error(RequestException.class, (req, res, e) -> {
            Status status = e.status();
            if (status.code() >= 500) {
                status = Status.BAD_REQUEST_400;
            }
            sendProblem(res, new Problem(Problem.TYPE_BASE + "bad-request", status.reasonPhrase(), status.code(),
                    e.getMessage() == null ? status.reasonPhrase() : e.getMessage()));
        });
        routing.error(HttpException.class, (req, res, e) -> {
            // Helidon's own signals, e.g. 304 for a static file the browser already has (If-None-Match)
            Status status = e.status();
            e.headers().forEach(res::header);
            if (status.code() < 400) {
                res.status(status).send();
                return;
            }
            sendProblem(res, new Problem(Problem.TYPE_BASE + "http", status.reasonPhrase(), status.code(),
                    e.getMessage() == null ? status.reasonPhrase() : e.getMessage()));
        });
        routing.error(RuntimeException.class, (req, res, e) -> {
            LOG.log(Level.ERROR, "Unexpected failure in " + req.prologue().method().text() + " "
                    + RequestLog.maskedPath(req.prologue().uriPath().rawPath()), e);
            sendProblem(res, new Problem(Problem.TYPE_BASE + "internal", "Internal error", 500,
                    "The server failed to handle this request"));
        });
    }

    public void send(ServerResponse res, ApiException e) {
        e.retryAfterSeconds().ifPresent(s -> res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, s))));
        sendProblem(res, e.problem());
    }

    private void sendProblem(ServerResponse res, Problem problem) {
        if (res.isSent()) {
            return;
        }
        res.status(Status.create(problem.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.send(json.writeBytes(problem));
    }
}
