package io.listsync.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The REST calls the benchmark makes, as any outside client would (one shared JDK HTTP/1.1 client).
 */
final class Rest {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    record User(String id, String email, String token) {
    }

    Reply call(String method, String url, String token, Object body) throws IOException, InterruptedException {
        return call(method, url, token, body, Map.of());
    }

    Reply call(String method, String url, String token, Object body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    Reply expect(String method, String url, String token, Object body) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Reply r = call(method, url, token, body);
            if (r.ok()) {
                return r;
            }
            if (attempt >= 5 || (r.status != 429 && r.status != 503)) {
                throw new IllegalStateException(method + " " + url + " → " + r.status + " " + r.body);
            }
            Thread.sleep(500L * attempt);
        }
    }

    User register(String base, String email) throws IOException, InterruptedException {
        JsonNode n = expect("POST", base + "/api/v1/auth/register", null,
                Map.of("email", email, "password", "bench-password-1", "displayName", email)).json();
        return new User(n.path("user").path("id").asText(), email, n.path("accessToken").asText());
    }

    String createList(String base, User owner, String name) throws IOException, InterruptedException {
        return expect("POST", base + "/api/v1/lists", owner.token(), Map.of("name", name)).json().path("id").asText();
    }

    void addMember(String base, User owner, String listId, User member) throws IOException, InterruptedException {
        expect("POST", base + "/api/v1/lists/" + listId + "/members", owner.token(),
                Map.of("email", member.email(), "role", "editor"));
    }

    String createItem(String base, User owner, String listId, String name) throws IOException, InterruptedException {
        return expect("POST", base + "/api/v1/lists/" + listId + "/items", owner.token(), Map.of("name", name))
                .json().path("id").asText();
    }
}
