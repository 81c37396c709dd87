package io.listsync.server.http;

import io.listsync.server.support.Api;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer, the web app's and the API's, successes and errors, carries the browser security headers.
 * (That the built app runs under the policy without a violation is the browser test's job: web/e2e/csp.e2e.test.ts.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityHeadersTest {

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
    @DisplayName("CSP (self only, never framed), X-Frame-Options, nosniff and Referrer-Policy on pages, API answers and errors")
    void everyAnswer() {
        Api api = server.api();
        Api.User user = api.register();
        for (Api.Response r : List.of(api.get("/", null), api.get("/lists/42", null), api.get("/api/v1/me", null),
                api.get("/api/v1/me", user.token()), api.get("/api/v1/lists/%00", user.token()),
                api.get("/observe/health", null), api.get("/favicon.svg", null), api.get("/openapi", null))) {
            var headers = r.headers();
            assertThat(headers.firstValue("content-security-policy")).as(r.toString())
                    .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'",
                            "object-src 'none'", "worker-src 'self'", "manifest-src 'self'", "connect-src 'self'")
                            .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval"));
            assertThat(headers.firstValue("x-frame-options")).contains("DENY");
            assertThat(headers.firstValue("x-content-type-options")).contains("nosniff");
            assertThat(headers.firstValue("referrer-policy")).contains("no-referrer");
        }
    }
}
