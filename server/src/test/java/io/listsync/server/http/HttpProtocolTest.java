package io.listsync.server.http;

import io.listsync.server.support.Api;
import io.listsync.server.support.LogCapture;
import io.listsync.server.support.RawHttp;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP as a hostile or broken client speaks it, over raw connections: every malformed or stalled request gets a
 * 4xx (or is closed) within a bounded time, and none is logged as a server failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpProtocolTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** How long a check may take beyond a timeout on a busy box. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    private TestDatabases.TestDatabase database;
    private TestServer server;
    private Api.User user;
    private String listId;

    @BeforeAll
    void start() {
        database = TestDatabases.h2();
        Map<String, String> settings = new HashMap<>(database.settings());
        settings.put("server.idle-connection-timeout", "PT1S");
        settings.put("server.request-header-timeout", "PT1S");
        settings.put("server.request-body-timeout", "PT1S");
        server = TestServer.start(settings);
        user = server.api().register();
        listId = server.api().createList(user, "Raw");
    }

    @AfterAll
    void stop() {
        server.close();
        database.close();
    }

    private String getLists() {
        return "GET /api/v1/lists HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + user.token() + "\r\n\r\n";
    }

    private String post(String path, String headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + user.token() + "\r\n" + headers;
    }

    @Test
    @DisplayName("a Content-Type that is not a valid media type is 415, not 500")
    void malformedContentType() {
        for (String type : List.of("application/json; charset=\"", "application/json;;;=", "/", ";", "json/")) {
            try (LogCapture logs = new LogCapture(); RawHttp http = RawHttp.connect(server.port())) {
                RawHttp.Response r = http.send(post("/api/v1/lists", "Content-Type: " + type
                        + "\r\nContent-Length: 12\r\n\r\n{\"name\":\"x\"}")).read(SLACK);
                assertThat(r.status()).as(type + ": " + r).isIn(400, 415);
                assertThat(r.header("content-type")).startsWith("application/problem+json");
                assertThat(logs.problems()).as(type).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("a conditional header the static files cannot parse is 400, not 500; a valid one is honoured")
    void malformedConditionalHeaders() {
        for (String header : List.of("If-None-Match: \"", "If-None-Match: abc", "If-Match: W/",
                "If-Modified-Since: yesterday", "If-Unmodified-Since: 2026-12-01")) {
            for (String path : List.of("/favicon.svg", "/", "/lists/1")) {
                try (LogCapture logs = new LogCapture(); RawHttp http = RawHttp.connect(server.port())) {
                    RawHttp.Response r = http.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header
                            + "\r\n\r\n").read(SLACK);
                    assertThat(r.status()).as(header + " " + path).isEqualTo(400);
                    assertThat(r.body()).contains(header.substring(0, header.indexOf(':')));
                    assertThat(logs.problems()).isEmpty();
                }
            }
        }
        for (String header : List.of("If-None-Match: \"x\", W/\"y\"", "If-None-Match: *",
                "If-Modified-Since: Tue, 01 Dec 2026 10:00:00 GMT")) {
            try (RawHttp http = RawHttp.connect(server.port())) {
                RawHttp.Response r = http.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + "\r\n\r\n")
                        .read(SLACK);
                assertThat(r.status()).as(header + ": " + r).isIn(200, 304);
            }
        }
    }

    @Test
    @DisplayName("what Helidon refuses before routing (bad request line, header, length, version) is problem+json too")
    void directErrorsAreProblems() {
        for (String request : List.of("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n",
                "GET /api/v1/lists/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "POST /api/v1/lists HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
                "GET / HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.0\r\n\r\n")) {
            try (LogCapture logs = new LogCapture(); RawHttp http = RawHttp.connect(server.port())) {
                RawHttp.Response r = http.send(request).read(SLACK);
                assertThat(r.status()).as(request).isIn(400, 505);
                assertThat(r.header("content-type")).as(request).isEqualTo("application/problem+json");
                assertThat(r.body()).contains("\"status\":" + r.status());
                assertThat(logs.problems()).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("a malformed chunk size is answered 400 at once and the connection closed")
    void malformedChunkSize() {
        for (String size : List.of("zz", "-1", "1x", "ffffffffffffffffff", " ", "c;ext=\"")) {
            try (LogCapture logs = new LogCapture(); RawHttp http = RawHttp.connect(server.port())) {
                RawHttp.Response r = http.send(post("/api/v1/lists", "Content-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n{\"name\":\"x\"}\r\n0\r\n\r\n")).read(SLACK);
                assertThat(r.status()).as(size + ": " + r).isEqualTo(400);
                assertThat(r.header("content-type")).startsWith("application/problem+json");
                assertThat(http.closedWithin(SLACK)).as(size).isTrue();
                assertThat(logs.problems()).as(size).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("a body over 64 KiB (up to 1 MiB) is read and answered 413 on a connection that stays open; a longer "
            + "one is answered 413 unread and its connection closed")
    void tooLargeBodies() {
        String json = "{\"name\":\"x\",\"note\":\"" + "n".repeat(70_000) + "\"}";
        try (RawHttp http = RawHttp.connect(server.port())) {
            RawHttp.Response r = http.send(post("/api/v1/lists", "Content-Type: application/json\r\nContent-Length: "
                    + json.length() + "\r\n\r\n" + json)).read(SLACK);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("content-type")).startsWith("application/problem+json");
            // the body was read: nothing is left unread for a close to turn into a reset, so the connection is kept
            assertThat(http.send(getLists()).read(SLACK).status()).isEqualTo(200);
        }
        try (RawHttp http = RawHttp.connect(server.port())) { // the same for a chunked body, found too long as it is read
            RawHttp.Response r = http.send(post("/api/v1/lists", "Content-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(json.length()) + "\r\n" + json
                    + "\r\n0\r\n\r\n")).read(SLACK);
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(http.send(getLists()).read(SLACK).status()).isEqualTo(200);
        }
        try (RawHttp http = RawHttp.connect(server.port())) {
            RawHttp.Response r = http.send(post("/api/v1/lists", "Content-Type: application/json\r\nContent-Length: "
                    + (2 * 1024 * 1024) + "\r\n\r\n{\"name\":")).read(SLACK);
            assertThat(r.status()).isEqualTo(413);
            assertThat(http.closedWithin(SLACK)).isTrue();
        }
    }

    @Test
    @DisplayName("a body that stops half-way is answered 408 after the body timeout and closed; not logged as an error")
    void stalledBody() {
        try (LogCapture logs = new LogCapture(); RawHttp http = RawHttp.connect(server.port())) {
            long start = System.nanoTime();
            RawHttp.Response r = http.send(post("/api/v1/lists", "Content-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"name\":")).read(TIMEOUT.plus(SLACK));
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(r.body()).contains("request-timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(http.closedWithin(SLACK)).isTrue();
            awaitAccessLog(logs, "status=408");
            assertThat(logs.problems()).isEmpty();
        }
        // a chunked body whose chunk never arrives, likewise
        try (RawHttp http = RawHttp.connect(server.port())) {
            RawHttp.Response r = http.send(post("/api/v1/lists", "Content-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n7fffffff\r\n{\"name\":")).read(TIMEOUT.plus(SLACK));
            assertThat(r.status()).isIn(408, 413);
            assertThat(http.closedWithin(SLACK)).isTrue();
        }
    }

    @Test
    @DisplayName("a keyed write (Idempotency-Key) whose body is malformed or stalls is answered like any other")
    void keyedBodies() {
        try (LogCapture logs = new LogCapture()) {
            try (RawHttp http = RawHttp.connect(server.port())) {
                RawHttp.Response r = http.send(post("/api/v1/lists", "Idempotency-Key: " + java.util.UUID.randomUUID()
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"))
                        .read(SLACK);
                assertThat(r.status()).isEqualTo(400);
            }
            try (RawHttp http = RawHttp.connect(server.port())) {
                RawHttp.Response r = http.send(post("/api/v1/lists", "Idempotency-Key: " + java.util.UUID.randomUUID()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":"))
                        .read(TIMEOUT.plus(SLACK));
                assertThat(r.status()).isEqualTo(408);
                assertThat(http.closedWithin(SLACK)).isTrue();
            }
            assertThat(logs.problems()).isEmpty();
        }
    }

    @Test
    @DisplayName("a client that leaves half-way through its body is not logged as an error")
    void clientLeavesMidBody() {
        try (LogCapture logs = new LogCapture()) {
            try (RawHttp http = RawHttp.connect(server.port())) {
                http.send(post("/api/v1/lists", "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na"));
            }
            awaitAccessLog(logs, "status=400 closed");
            assertThat(logs.problems()).isEmpty();
        }
    }

    @Test
    @DisplayName("headers that never finish are answered 408 after the header timeout and closed")
    void stalledHeaders() {
        try (LogCapture logs = new LogCapture(); RawHttp http = RawHttp.connect(server.port())) {
            RawHttp.Response r = http.send("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    .read(TIMEOUT.plus(SLACK));
            assertThat(r.status()).isEqualTo(408);
            assertThat(http.closedWithin(SLACK)).isTrue();
            assertThat(logs.problems()).isEmpty();
        }
    }

    @Test
    @DisplayName("a connection that sends nothing, half a request line, or nothing after an answer is closed when idle")
    void idleConnectionsAreClosed() {
        try (RawHttp silent = RawHttp.connect(server.port());
             RawHttp halfLine = RawHttp.connect(server.port());
             RawHttp afterAnswer = RawHttp.connect(server.port())) {
            halfLine.send("GET /api/v1/m");
            afterAnswer.send("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(afterAnswer.read(SLACK).status()).isEqualTo(401);
            assertThat(silent.closedWithin(TIMEOUT.plus(SLACK))).isTrue();
            assertThat(halfLine.closedWithin(SLACK)).isTrue();
            assertThat(afterAnswer.closedWithin(SLACK)).isTrue();
        }
    }

    @Test
    @DisplayName("a body no handler reads is not waited for: the answer closes the connection")
    void unreadBodyIsNotWaitedFor() {
        try (RawHttp http = RawHttp.connect(server.port())) {
            // no token: 401 before the body is read; the rest of the body is never sent
            RawHttp.Response r = http.send("POST /api/v1/lists HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{").read(SLACK);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(http.closedWithin(SLACK)).isTrue();
        }
        try (RawHttp http = RawHttp.connect(server.port())) {
            RawHttp.Response r = http.send(post("/api/v1/lists/" + listId + "/items/none/check",
                    "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")).read(SLACK);
            assertThat(r.status()).isEqualTo(404);
            assertThat(http.closedWithin(SLACK)).isTrue();
        }
    }

    @Test
    @DisplayName("keep-alive still works: several requests on one connection, bodies read in full")
    void keepAlive() {
        try (RawHttp http = RawHttp.connect(server.port())) {
            for (int i = 0; i < 3; i++) {
                String body = "{\"name\":\"kept " + i + "\"}";
                RawHttp.Response r = http.send(post("/api/v1/lists/" + listId + "/items",
                        "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body))
                        .read(SLACK);
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
                assertThat(r.header("connection")).isNotEqualTo("close");
            }
        }
    }

    private static void awaitAccessLog(LogCapture logs, String fragment) {
        io.listsync.server.support.Await.until(
                () -> logs.accessLog().stream().anyMatch(line -> line.contains(fragment)), SLACK);
    }
}
