package io.listsync.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderName;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Browser security headers on every answer: the web app, its assets, the API and its errors.
 * <ul>
 *     <li>A strict Content-Security-Policy: everything from this origin only, no inline script or style, no
 *     plugins, never framed. The built app needs nothing more: Vite emits external module scripts and a
 *     stylesheet, React sets styles through the DOM (which CSP allows), the socket is same-origin ({@code 'self'}
 *     covers {@code ws:}/{@code wss:} to this host in CSP Level 3), and a service worker and web manifest, when the
 *     app has them, are served from here too.</li>
 *     <li>{@code X-Frame-Options: DENY} for browsers without {@code frame-ancestors}.</li>
 *     <li>{@code X-Content-Type-Options: nosniff}: a JSON answer is never run as a script.</li>
 *     <li>{@code Referrer-Policy: no-referrer}: list ids in URLs never leave with a link.</li>
 * </ul>
 */
public final class SecurityHeaders implements Filter {

    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    private static final HeaderName CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(CSP, CONTENT_SECURITY_POLICY);
        res.header(FRAME_OPTIONS, "DENY");
        res.header(CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(REFERRER_POLICY, "no-referrer");
        chain.proceed();
    }
}
