package io.listsync.server.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.lang.System.Logger.Level;

/**
 * One structured line per request: method, path, status, milliseconds. The query string is never logged as it
 * came (a WebSocket URL carries the access token there): only parameter names, with values masked.
 */
public final class RequestLog implements Filter {

    private static final System.Logger LOG = System.getLogger("io.listsync.access");

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
                LOG.log(Level.INFO, "method=" + req.prologue().method().text()
                        + " path=" + req.prologue().uriPath().rawPath() + maskedQuery(req.prologue().query().rawValue())
                        + " status=" + (status != null ? status : Integer.toString(res.status().code()))
                        + " ms=" + (System.nanoTime() - start) / 1_000_000);
            }
        }
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
