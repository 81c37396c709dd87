package io.listsync.server.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Optional;

/**
 * Refuses, before any route sees it, a request whose decoded path or query holds text no database can store
 * ({@link TextRule#unstorable}): {@code GET /api/v1/lists/%00} is a 400, not a query that PostgreSQL rejects with
 * an error. Every path parameter and query value a handler reads has passed this.
 */
public final class RequestSanity implements Filter {

    private final ProblemHandler problems;

    public RequestSanity(ProblemHandler problems) {
        this.problems = problems;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> problem = TextRule.unstorable(req.prologue().uriPath().path())
                .map(p -> "The path " + p);
        if (problem.isEmpty()) {
            for (String name : req.query().names()) {
                problem = TextRule.unstorable(name).map(p -> "A query parameter name " + p);
                for (String value : req.query().all(name, java.util.List::of)) {
                    problem = problem.or(() -> TextRule.unstorable(value).map(p -> "'" + name + "' " + p));
                }
                if (problem.isPresent()) {
                    break;
                }
            }
        }
        if (problem.isPresent()) {
            problems.send(res, ApiException.badRequest(problem.get()));
            return;
        }
        chain.proceed();
    }
}
