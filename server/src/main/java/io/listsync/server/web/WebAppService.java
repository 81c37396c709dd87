package io.listsync.server.web;

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

/**
 * Serves the web app from the classpath folder {@code web/} (the {@code listsync-web} jar): hashed assets with
 * long cache lifetimes, and {@code index.html} for every other page path so deep links like {@code /lists/42}
 * work (single-page app fallback).
 */
public final class WebAppService implements HttpService {

    private static final String ROOT = "web";
    private static final String NOT_BUILT = """
            <!doctype html><html><head><meta charset="utf-8"><title>ListSync</title></head>
            <body><h1>ListSync</h1><p>The web app was not built into this server (built with -DskipWeb).
            The API is at <code>/api/v1</code>.</p></body></html>""";

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
        rules.register("/", StaticContentService.builder(ROOT).welcomeFileName("index.html").build());
        rules.get("/*", this::index);
        rules.head("/*", this::index);
    }

    /** Whether the web app is in this build. */
    public boolean built() {
        return indexHtml != null;
    }

    private void index(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        if (path.startsWith("/api/") || path.startsWith("/observe") || path.equals("/openapi")
                || path.startsWith("/assets/")
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
