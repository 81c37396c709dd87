package io.listsync.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.listsync.server.db.DatabaseFailure;
import io.listsync.server.errors.DomainException;

import java.lang.System.Logger.Level;
import java.util.Optional;

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
        routing.error(DomainException.class, (req, res, e) -> send(res, problem(e)));
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
        routing.error(RuntimeException.class, (req, res, e) -> send(res, unexpected(req, e)));
    }

    /**
     * The answer to a failure nothing else mapped, logged once, wherever it surfaces (a handler, or the idempotency
     * filter's commit): a lost or refused database connection is 503 (nothing was committed as far as the client
     * knows; it retries), a constraint that refused a concurrent duplicate is 409, anything else 500.
     */
    public static ApiException unexpected(ServerRequest req, RuntimeException e) {
        String where = req.prologue().method().text() + " " + RequestLog.maskedPath(req.prologue().uriPath().rawPath());
        Optional<DatabaseFailure> database = DatabaseFailure.of(e);
        if (database.isEmpty()) {
            LOG.log(Level.ERROR, "Unexpected failure in " + where, e);
            return ApiException.internal("The server failed to handle this request");
        }
        return switch (database.get()) {
            case UNAVAILABLE -> {
                LOG.log(Level.WARNING, "Database unavailable during " + where + ": " + rootMessage(e));
                yield ApiException.unavailable("The database is not reachable; try again shortly");
            }
            case CONFLICT -> ApiException.conflict("This conflicts with a change made at the same moment "
                    + "(it exists already); reload and try again");
        };
    }

    /** The one mapping of the domain's refusals to HTTP. */
    static ApiException problem(DomainException e) {
        return switch (e.kind()) {
            case INVALID -> ApiException.badRequest(e.getMessage());
            case UNAUTHENTICATED -> ApiException.unauthorized(e.getMessage());
            case FORBIDDEN -> ApiException.forbidden(e.getMessage());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> ApiException.conflict(e.getMessage());
            case RATE_LIMITED -> ApiException.tooManyRequests(e.getMessage(), e.retryAfterSeconds().orElse(1L));
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
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
