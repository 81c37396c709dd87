package io.listsync.server.web;

import io.listsync.server.support.Api;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server serving the web app: pages, deep links, caching. Holds whether or not the app was built
 * ({@code -DskipWeb} leaves a placeholder page), so it checks what is true of both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAppServingTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private TestDatabases.TestDatabase database;
    private TestServer server;

    @BeforeAll
    void start() {
        database = TestDatabases.h2();
        server = TestServer.start(database.settings());
    }

    @AfterAll
    void stop() {
        server.close();
        database.close();
    }

    @Test
    @DisplayName("/ and deep links answer the app's HTML page")
    void pages() throws Exception {
        for (String path : new String[] {"/", "/lists/some-id", "/signin"}) {
            HttpResponse<String> page = get(path, null);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("<html");
        }
    }

    @Test
    @DisplayName("a browser revalidating / with its ETag gets 304, never an error")
    void revalidation() throws Exception {
        HttpResponse<String> first = get("/", null);
        org.junit.jupiter.api.Assumptions.assumeFalse(first.body().contains("web app was not built"),
                "a -DskipWeb build serves a placeholder page without an ETag");
        var etag = first.headers().firstValue("etag");
        assertThat(etag).as("the built app's index.html carries an ETag").isPresent();
        HttpResponse<String> again = get("/", etag.get());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    @DisplayName("HEAD of a deep link answers like GET (link checkers, monitors)")
    void headOfDeepLink() throws Exception {
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/lists/x"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    }

    @Test
    @DisplayName("unknown API paths are problem+json 404s, not the app's page")
    void apiIsNotShadowed() {
        Api.Response r = server.api().get("/api/v1/nope", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).doesNotContain("<html");
    }

    @Test
    @DisplayName("the service worker: JavaScript, revalidated on every fetch, under the CSP that allows it")
    void serviceWorker() throws Exception {
        HttpResponse<String> sw = get("/sw.js", null);
        assertThat(sw.statusCode()).isEqualTo(200);
        assertThat(sw.headers().firstValue("content-type").orElse("")).startsWith("text/javascript");
        assertThat(sw.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(sw.headers().firstValue("content-security-policy").orElse(""))
                .contains("worker-src 'self'").contains("manifest-src 'self'");
        assertThat(sw.body()).doesNotContain("<html");
    }

    @Test
    @DisplayName("the web manifest: application/manifest+json, revalidated on every fetch")
    void manifest() throws Exception {
        HttpResponse<String> manifest = get("/manifest.webmanifest", null);
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.headers().firstValue("content-type").orElse("")).startsWith("application/manifest+json");
        assertThat(manifest.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(manifest.body()).contains("\"start_url\"");
    }

    @Test
    @DisplayName("a missing script, icon or manifest is a 404, never the app's page (which would not run as a worker)")
    void missingFilesAreNotThePage() throws Exception {
        for (String path : new String[] {"/workbox-0000.js", "/icons/none.png", "/old.webmanifest", "/lists/x/y.css"}) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("<html");
        }
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
