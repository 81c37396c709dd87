package io.listsync.server.web;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.StaticContentService;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Serves the web app from the classpath folder {@code web/} (the {@code listsync-web} jar): hashed assets with
 * long cache lifetimes, and {@code index.html} for every other page path so deep links like {@code /lists/42}
 * work (single-page app fallback). The installable app's service worker ({@code /sw.js}) and web manifest are
 * revalidated on every fetch, so a new deployment reaches every phone; a missing file (an old icon, a script name)
 * is a 404, never the HTML page, which a browser would refuse to run as a service worker anyway.
 */
public final class WebAppService implements HttpService {

    private static final String ROOT = "web";
    private static final String NOT_BUILT = """
            <!doctype html><html><head><meta charset="utf-8"><title>ListSync</title></head>
            <body><h1>ListSync</h1><p>The web app was not built into this server (built with -DskipWeb).
            The API is at <code>/api/v1</code>.</p></body></html>""";

    /** Names of built files (scripts, styles, icons, the manifest): when missing, a 404 rather than the page. */
    private static final Pattern STATIC_FILE = Pattern.compile(".*\\.(js|mjs|css|map|png|svg|ico|webmanifest|json|txt)$");

    private final byte[] indexHtml;

    public WebAppService() {
        this.indexHtml = readIndex();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/assets/*", (req, res) -> {
            // file names under /assets carry a content hash: they never change
            res.header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
            res.next();
        });
        rules.any("/sw.js", WebAppService::revalidate);
        rules.any("/manifest.webmanifest", WebAppService::revalidate);
        rules.register("/", StaticContentService.builder(ROOT)
                .welcomeFileName("index.html")
                .contentType("webmanifest", MediaTypes.create("application/manifest+json"))
                .build());
        rules.get("/*", this::index);
        rules.head("/*", this::index);
    }

    /** The service worker and manifest are small and must never be stale: always ask the server (ETag makes it cheap). */
    private static void revalidate(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.next();
    }

    /** Whether the web app is in this build. */
    public boolean built() {
        return indexHtml != null;
    }

    private void index(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        if (path.startsWith("/api/") || path.startsWith("/observe") || path.equals("/openapi")
                || path.startsWith("/assets/") || STATIC_FILE.matcher(path).matches()
                || !(req.prologue().method() == Method.GET || req.prologue().method() == Method.HEAD)) {
            res.next();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.status(Status.OK_200).send(indexHtml != null ? indexHtml : NOT_BUILT.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] readIndex() {
        try (InputStream in = WebAppService.class.getClassLoader().getResourceAsStream(ROOT + "/index.html")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
