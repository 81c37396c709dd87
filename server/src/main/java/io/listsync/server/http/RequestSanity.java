package io.listsync.server.http;

import io.helidon.http.DateTime;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Refuses, before any route sees it, a request that a handler or Helidon would otherwise fail on with a 500:
 * <ul>
 *     <li>a decoded path or query holding text no database can store ({@link TextRule#unstorable}):
 *     {@code GET /api/v1/lists/%00} is a 400, not a query that PostgreSQL rejects with an error; every path
 *     parameter and query value a handler reads has passed this;</li>
 *     <li>a conditional header Helidon's static content cannot parse ({@code If-None-Match: "},
 *     {@code If-Modified-Since: yesterday}): 400 naming the header.</li>
 * </ul>
 */
public final class RequestSanity implements Filter {

    private static final Pattern ENTITY_TAGS = Pattern.compile("\\*|(W/)?\"[^\"]*\"(\\s*,\\s*(W/)?\"[^\"]*\")*");
    private static final List<HeaderName> ENTITY_TAG_HEADERS = List.of(HeaderNames.IF_NONE_MATCH, HeaderNames.IF_MATCH);
    private static final List<HeaderName> DATE_HEADERS =
            List.of(HeaderNames.IF_MODIFIED_SINCE, HeaderNames.IF_UNMODIFIED_SINCE);

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
                for (String value : req.query().all(name, List::of)) {
                    problem = problem.or(() -> TextRule.unstorable(value).map(p -> "'" + name + "' " + p));
                }
                if (problem.isPresent()) {
                    break;
                }
            }
        }
        problem = problem.or(() -> conditionalHeaders(req.headers()));
        if (problem.isPresent()) {
            problems.send(res, ApiException.badRequest(problem.get()));
            return;
        }
        chain.proceed();
    }

    private static Optional<String> conditionalHeaders(ServerRequestHeaders headers) {
        for (HeaderName name : ENTITY_TAG_HEADERS) {
            for (String value : headers.all(name, List::of)) {
                if (!ENTITY_TAGS.matcher(value.strip()).matches()) {
                    return Optional.of(name.defaultCase() + " must be * or a list of quoted entity tags");
                }
            }
        }
        for (HeaderName name : DATE_HEADERS) {
            for (String value : headers.all(name, List::of)) {
                try {
                    DateTime.parse(value);
                } catch (RuntimeException notADate) {
                    return Optional.of(name.defaultCase() + " must be an HTTP date");
                }
            }
        }
        return Optional.empty();
    }
}
