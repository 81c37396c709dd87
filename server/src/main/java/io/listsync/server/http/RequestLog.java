package io.listsync.server.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * One structured line per request: method, path, status, milliseconds. The query string is never logged as it
 * came (a WebSocket URL carries the access token there): only parameter names, with values masked. Paths that carry
 * a secret (an invite code) are masked too: see {@link #maskedPath}.
 */
public final class RequestLog implements Filter {

    /**
     * JUL itself, to name the line's source: a record without one makes the formatter walk the stack to find it,
     * for every request (it was 1.3% of all allocation under load).
     */
    private static final Logger LOG = Logger.getLogger("io.listsync.access");
    private static final String SOURCE = RequestLog.class.getName();
    private static final Pattern SECRET_SEGMENT = Pattern.compile("(?i)(/invites?/)[^/]+");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String status = null;
        try {
            chain.proceed();
            status = Integer.toString(res.status().code());
        } catch (RequestDeadlines.ConnectionEnded ended) {
            status = ended.status() + " closed";
            throw ended;
        } finally {
            if (LOG.isLoggable(Level.INFO)) {
                LOG.logp(Level.INFO, SOURCE, "filter", "method=" + req.prologue().method().text()
                        + " path=" + maskedPath(req.prologue().uriPath().rawPath())
                        + maskedQuery(req.prologue().query().rawValue())
                        + " status=" + (status != null ? status : Integer.toString(res.status().code()))
                        + " ms=" + (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    /**
     * The path with invite codes masked: any segment after {@code invite/} or {@code invites/} (in any letter case:
     * a mistyped path is logged too) becomes {@code ***}, so {@code /api/v1/invites/<code>/accept} and the web app's
     * {@code /invite/<code>} never reach the log. Whoever reads the logs must not be able to join lists.
     */
    public static String maskedPath(String rawPath) {
        return rawPath == null ? "" : SECRET_SEGMENT.matcher(rawPath).replaceAll("$1***");
    }

    /** {@code token=abc&since=4} becomes {@code ?token=***&since=***}. */
    public static String maskedQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        StringBuilder masked = new StringBuilder("?");
        for (String pair : rawQuery.split("&")) {
            if (masked.length() > 1) {
                masked.append('&');
            }
            int eq = pair.indexOf('=');
            masked.append(eq < 0 ? pair : pair.substring(0, eq)).append("=***");
        }
        return masked.toString();
    }
}
