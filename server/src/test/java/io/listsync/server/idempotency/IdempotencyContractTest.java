package io.listsync.server.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.Response;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestDatabases.TestDatabase;
import io.listsync.server.support.Teardown;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 1.1 "Safe retries": {@code Idempotency-Key} on every write, over real HTTP, on each database (one subclass
 * per database), with two instances sharing it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdempotencyContractTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    TestDatabase database;
    TestServer a;
    TestServer b;
    Api api;
    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    /** A fresh database for the class (and for the tests that need one of their own). */
    abstract TestDatabase createDatabase();

    @BeforeAll
    void start() {
        database = createDatabase();
        a = TestServer.start(database.settings());
        b = TestServer.start(database.settings());
        api = a.api();
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
        Teardown.closeAll(a, b, database);
    }

    // ---- replays ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("a repeat gets the same status and body with Idempotent-Replayed: true, on either instance; "
            + "nothing is created, published or versioned again")
    void replayOnEveryInstance() {
        User owner = api.register();
        String listId = api.createList(owner, "Groceries");
        String items = "/api/v1/lists/" + listId + "/items";
        String key = UUID.randomUUID().toString();
        String body = json(Map.of("name", "Milk", "quantity", "2 l"));
        try (WsClient socket = WsClient.connect(a, listId, "token=" + owner.token())) {
            assertThat(socket.next().get("type").asText()).isEqualTo("hello");

            Response first = keyed(a, "POST", items, owner, body, key);
            assertThat(first.status()).isEqualTo(201);
            assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();

            for (TestServer server : List.of(a, b, a)) {
                Response again = keyed(server, "POST", items, owner, body, key);
                assertThat(again.status()).isEqualTo(201);
                assertThat(again.text()).isEqualTo(first.text());
                assertThat(again.contentType()).isEqualTo(first.contentType());
                assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
            }
            assertThat(itemNames(owner, listId)).containsExactly("Milk");
            assertThat(version(owner, listId)).isEqualTo(1);

            // the socket heard the one change, then the next one: the replays published nothing in between
            assertThat(socket.nextEvent().get("version").asLong()).isEqualTo(1);
            api.post(items, owner.token(), json(Map.of("name", "Eggs")));
            assertThat(socket.nextEvent().get("version").asLong()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("every write of the API remembers its key: each repeat replays, and changes nothing")
    void everyWriteRoute() {
        User owner = api.register();
        User friend = api.register();
        User other = api.register();
        Response created = keyed(a, "POST", "/api/v1/lists", owner, json(Map.of("name", "Trip")), UUID.randomUUID().toString());
        String listId = created.json().get("id").asText();
        String base = "/api/v1/lists/" + listId;
        api.post(base + "/members", owner.token(), json(Map.of("email", other.email(), "role", "editor")));
        String itemId = api.post(base + "/items", owner.token(), json(Map.of("name", "Tent"))).json().get("id").asText();
        String categoryId = api.post(base + "/categories", owner.token(), json(Map.of("name", "Camp"))).json()
                .get("id").asText();

        record Write(String method, String path, String body) {
        }
        List<Write> writes = List.of(
                new Write("POST", "/api/v1/lists", json(Map.of("name", "Another"))),
                new Write("PATCH", base, json(Map.of("name", "Trip 2"))),
                new Write("POST", base + "/members", json(Map.of("email", friend.email(), "role", "viewer"))),
                new Write("PATCH", base + "/members/" + friend.id(), json(Map.of("role", "editor"))),
                new Write("DELETE", base + "/members/" + other.id(), null),
                new Write("POST", base + "/items", json(Map.of("name", "Stove"))),
                new Write("PATCH", base + "/items/" + itemId, json(Map.of("note", "the big one"))),
                new Write("POST", base + "/items/" + itemId + "/check", null),
                new Write("POST", base + "/items/" + itemId + "/uncheck", null),
                new Write("POST", base + "/categories", json(Map.of("name", "Food"))),
                new Write("PATCH", base + "/categories/" + categoryId, json(Map.of("name", "Camping"))),
                new Write("DELETE", base + "/categories/" + categoryId, null),
                new Write("POST", base + "/items/" + itemId + "/check", null),
                new Write("POST", base + "/items/bulk-delete", json(Map.of("checked", true))),
                new Write("DELETE", base + "/items/" + api.post(base + "/items", owner.token(),
                        json(Map.of("name", "Map"))).json().get("id").asText(), null),
                new Write("DELETE", base, null));
        for (Write write : writes) {
            String key = UUID.randomUUID().toString();
            Response first = keyed(a, write.method(), write.path(), owner, write.body(), key);
            assertThat(first.status()).as("%s %s -> %s", write.method(), write.path(), first).isBetween(200, 299);
            String state = state(owner, listId);

            Response again = keyed(b, write.method(), write.path(), owner, write.body(), key);
            assertThat(again.status()).as("repeat of %s %s", write.method(), write.path()).isEqualTo(first.status());
            assertThat(again.text()).isEqualTo(first.text());
            assertThat(again.headers().firstValue("Idempotent-Replayed")).as("%s %s", write.method(), write.path())
                    .contains("true");
            assertThat(state(owner, listId)).as("state after repeating %s %s", write.method(), write.path())
                    .isEqualTo(state);
        }
        assertThat(api.get("/api/v1/lists", owner.token()).json()).hasSize(1); // "Another"; "Trip" is deleted
    }

    @Test
    @DisplayName("a repeat is answered from the key even when the same request would now be refused")
    void replayBeforeAccessChecks() {
        User owner = api.register();
        User editor = api.register();
        String listId = api.createList(owner, "Shared");
        api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", editor.email(), "role", "editor")));
        String itemId = api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "Oats")))
                .json().get("id").asText();
        String path = "/api/v1/lists/" + listId + "/items/" + itemId;
        String key = UUID.randomUUID().toString();
        Response first = keyed(a, "PATCH", path, editor, json(Map.of("name", "Rolled oats")), key);
        assertThat(first.status()).isEqualTo(200);

        api.patch("/api/v1/lists/" + listId + "/members/" + editor.id(), owner.token(), json(Map.of("role", "viewer")));
        Response again = keyed(b, "PATCH", path, editor, json(Map.of("name", "Rolled oats")), key);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(keyed(a, "PATCH", path, editor, json(Map.of("name", "Rolled oats")), UUID.randomUUID().toString())
                .status()).isEqualTo(403);
    }

    @Test
    @DisplayName("a no-op (checking a checked item) is remembered too, and neither it nor its repeat moves the version")
    void noOpIsRemembered() {
        User owner = api.register();
        String listId = api.createList(owner, "Noop");
        String itemId = api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "Tea")))
                .json().get("id").asText();
        String check = "/api/v1/lists/" + listId + "/items/" + itemId + "/check";
        assertThat(api.post(check, owner.token(), null).status()).isEqualTo(200);
        assertThat(version(owner, listId)).isEqualTo(2);

        String key = UUID.randomUUID().toString();
        Response noop = keyed(a, "POST", check, owner, null, key);
        assertThat(noop.status()).isEqualTo(200);
        assertThat(noop.json().get("checked").asBoolean()).isTrue();
        assertThat(storedAnswer(owner, key)).isEqualTo(200);
        Response again = keyed(b, "POST", check, owner, null, key);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.text()).isEqualTo(noop.text());
        assertThat(version(owner, listId)).isEqualTo(2);
    }

    // ---- refusals --------------------------------------------------------------------------------------------

    @Test
    @DisplayName("the same key with another body, path or method is 422 and changes nothing; the first still replays")
    void sameKeyAnotherRequest() {
        User owner = api.register();
        String listId = api.createList(owner, "Mixed");
        String items = "/api/v1/lists/" + listId + "/items";
        String key = UUID.randomUUID().toString();
        Response first = keyed(a, "POST", items, owner, json(Map.of("name", "Bread")), key);
        String itemId = first.json().get("id").asText();

        assertProblem(keyed(a, "POST", items, owner, json(Map.of("name", "Butter")), key), 422, "request body");
        assertProblem(keyed(b, "POST", items, owner, "{\"name\":\"Bread\"}  ", key), 422, "request body");
        assertProblem(keyed(a, "PATCH", items + "/" + itemId, owner, json(Map.of("name", "Bread")), key), 422,
                "POST " + items);
        // in place of a 204 the handler had begun: framed, so the client has it at once (not when the connection ends)
        Response deleteInstead = keyed(a, "DELETE", items + "/" + itemId, owner, null, key);
        assertProblem(deleteInstead, 422, "POST");
        assertThat(deleteInstead.headers().firstValue("Content-Length"))
                .contains(Integer.toString(deleteInstead.text().getBytes(StandardCharsets.UTF_8).length));

        assertThat(itemNames(owner, listId)).containsExactly("Bread");
        assertThat(version(owner, listId)).isEqualTo(1);
        assertThat(keyed(b, "POST", items, owner, json(Map.of("name", "Bread")), key).text()).isEqualTo(first.text());
    }

    @Test
    @DisplayName("a key that is empty, too long or not visible ASCII, or sent twice, is 400 and changes nothing")
    void badKeys() throws IOException {
        User owner = api.register();
        String listId = api.createList(owner, "Keys");
        String items = "/api/v1/lists/" + listId + "/items";
        String body = json(Map.of("name", "Salt"));
        List<String> badHeaders = List.of("Idempotency-Key: \r\n", "Idempotency-Key: " + "k".repeat(256) + "\r\n",
                "Idempotency-Key: two words\r\n", "Idempotency-Key: caf\u00e9\r\n", "Idempotency-Key: tab\tin\r\n",
                "Idempotency-Key: one\r\nIdempotency-Key: two\r\n");
        for (String header : badHeaders) {
            RawResponse r = raw("POST", items, owner, body, header);
            assertThat(r.status()).as("%s -> %s", header.strip(), r.text()).isEqualTo(400);
            assertThat(r.text()).contains("Idempotency-Key");
        }
        assertThat(itemNames(owner, listId)).isEmpty();

        Response longest = keyed(a, "POST", items, owner, body, "k".repeat(255));
        assertThat(longest.status()).isEqualTo(201);
        Response visible = keyed(a, "POST", items, owner, json(Map.of("name", "Pepper")), "!~#$%&'*+-.^_`|0aZ:/?=");
        assertThat(visible.status()).isEqualTo(201);
    }

    @Test
    @DisplayName("keys belong to their user: another user's identical key is another change")
    void keysArePerUser() {
        User owner = api.register();
        User friend = api.register();
        String listId = api.createList(owner, "Two of us");
        api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", friend.email(), "role", "editor")));
        String items = "/api/v1/lists/" + listId + "/items";
        String key = "shared-key-" + UUID.randomUUID();
        assertThat(keyed(a, "POST", items, owner, json(Map.of("name", "Rice")), key).status()).isEqualTo(201);
        Response friends = keyed(b, "POST", items, friend, json(Map.of("name", "Beans")), key);
        assertThat(friends.status()).isEqualTo(201);
        assertThat(friends.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(itemNames(owner, listId)).containsExactlyInAnyOrder("Rice", "Beans");
    }

    @Test
    @DisplayName("a 4xx answer is remembered although its change was rolled back (also after a failed insert)")
    void refusalsAreRemembered() {
        User owner = api.register();
        String listId = api.createList(owner, "Refused");
        String base = "/api/v1/lists/" + listId;

        // 404: the category does not exist (yet). Creating it afterwards does not turn the repeat into an item.
        String categoryId = UUID.randomUUID().toString();
        String key = UUID.randomUUID().toString();
        String body = json(Map.of("name", "Yogurt", "categoryId", categoryId));
        Response refused = keyed(a, "POST", base + "/items", owner, body, key);
        assertProblem(refused, 404, "categoryId");
        assertThat(version(owner, listId)).isZero(); // the version bump inside the refused change was rolled back
        assertThat(api.post(base + "/categories", owner.token(), json(Map.of("id", categoryId, "name", "Dairy")))
                .status()).isEqualTo(201);
        Response again = keyed(b, "POST", base + "/items", owner, body, key);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.text()).isEqualTo(refused.text());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(itemNames(owner, listId)).isEmpty();

        // 409: an id in use. The failed insert aborts a PostgreSQL transaction; the key is still remembered.
        String itemId = UUID.randomUUID().toString();
        assertThat(api.post(base + "/items", owner.token(), json(Map.of("id", itemId, "name", "Cheese"))).status())
                .isEqualTo(201);
        long version = version(owner, listId);
        String taken = json(Map.of("id", itemId, "name", "Cheddar"));
        String key2 = UUID.randomUUID().toString();
        Response conflict = keyed(a, "POST", base + "/items", owner, taken, key2);
        assertProblem(conflict, 409, "id");
        assertThat(keyed(b, "POST", base + "/items", owner, taken, key2).text()).isEqualTo(conflict.text());
        assertThat(storedAnswer(owner, key2)).isEqualTo(409);
        assertThat(version(owner, listId)).isEqualTo(version);
        assertThat(itemNames(owner, listId)).containsExactly("Cheese");
    }

    @Test
    @DisplayName("a 5xx answer is not remembered: the retry with the same key runs again")
    void serverErrorsAreNotRemembered() throws SQLException {
        User owner = api.register();
        String listId = api.createList(owner, "Flaky");
        String items = "/api/v1/lists/" + listId + "/items";
        String key = UUID.randomUUID().toString();
        String body = json(Map.of("name", "explode-" + key));
        String constraint = "ck_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection jdbc = TestDatabases.connect(database); Statement s = jdbc.createStatement()) {
            // the database refuses this one name, as a failing disk or a bug would refuse a write
            s.execute("ALTER TABLE items ADD CONSTRAINT " + constraint + " CHECK (name <> 'explode-" + key + "')");
            try {
                Response failed = keyed(a, "POST", items, owner, body, key);
                assertThat(failed.status()).as(failed.toString()).isGreaterThanOrEqualTo(500);
                assertThat(storedAnswer(owner, key)).isNull();
            } finally {
                s.execute("ALTER TABLE items DROP CONSTRAINT " + constraint);
            }
        }
        Response retried = keyed(b, "POST", items, owner, body, key);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(version(owner, listId)).isEqualTo(1);
    }

    @Test
    @DisplayName("a request without a valid token is 401 and its key stays free")
    void unauthenticatedIsNotRemembered() {
        User owner = api.register();
        String listId = api.createList(owner, "Tokens");
        String items = "/api/v1/lists/" + listId + "/items";
        String key = UUID.randomUUID().toString();
        Response anonymous = api.send("POST", items, "not-a-token", json(Map.of("name", "Jam")),
                Map.of("Idempotency-Key", key));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(keyed(a, "POST", items, owner, json(Map.of("name", "Jam")), key).status()).isEqualTo(201);
    }

    @Test
    @DisplayName("a token whose user is gone gets 401 with a key: nothing is remembered, and a key's answer is not replayed to it")
    void goneUserIsNotAnswered() throws SQLException {
        User owner = api.register();
        User gone = api.register();
        String listId = api.createList(owner, "Gone");
        assertThat(api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", gone.email(), "role", "editor"))).status()).isEqualTo(201);
        String items = "/api/v1/lists/" + listId + "/items";
        String body = json(Map.of("name", "Jam"));
        String stored = UUID.randomUUID().toString();
        assertThat(keyed(a, "POST", items, gone, body, stored).status()).isEqualTo(201);
        long version = version(owner, listId);
        try (Connection jdbc = TestDatabases.connect(database); Statement s = jdbc.createStatement()) {
            s.execute("DELETE FROM users WHERE id = '" + gone.id() + "'");
        }
        Response replay = keyed(b, "POST", items, gone, body, stored);
        assertProblem(replay, 401, "does not exist");
        String fresh = UUID.randomUUID().toString();
        Response write = keyed(a, "POST", items, gone, json(Map.of("name", "Honey")), fresh);
        assertProblem(write, 401, "does not exist");
        assertThat(storedAnswer(gone, fresh)).isNull();
        assertThat(version(owner, listId)).isEqualTo(version);
        assertThat(itemNames(owner, listId)).containsExactly("Jam");
    }

    // ---- concurrency -----------------------------------------------------------------------------------------

    @Test
    @DisplayName("8 identical requests at once through both instances: exactly one commit; the others replay it "
            + "or are told 409 with Retry-After: 1")
    void concurrentRepeats() throws Exception {
        User owner = api.register();
        String listId = api.createList(owner, "Rush");
        String items = "/api/v1/lists/" + listId + "/items";
        String key = UUID.randomUUID().toString();
        String body = json(Map.of("name", "Flour"));
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TestServer server = i % 2 == 0 ? a : b;
            calls.add(CompletableFuture.supplyAsync(() -> keyed(server, "POST", items, owner, body, key), pool));
        }
        List<Response> answers = new ArrayList<>();
        for (CompletableFuture<Response> call : calls) {
            answers.add(call.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }

        List<Response> created = answers.stream().filter(r -> r.status() == 201).toList();
        assertThat(created).isNotEmpty();
        assertThat(created.stream().map(Response::text).distinct()).hasSize(1);
        assertThat(created.stream().filter(r -> r.headers().firstValue("Idempotent-Replayed").isEmpty())).hasSize(1);
        for (Response r : answers) {
            if (r.status() != 201) {
                assertProblem(r, 409);
                assertThat(r.headers().firstValue("Retry-After")).contains("1");
            }
        }
        assertThat(itemNames(owner, listId)).containsExactly("Flour");
        assertThat(version(owner, listId)).isEqualTo(1);
    }

    // ---- durability and retention ----------------------------------------------------------------------------

    @Test
    @DisplayName("the answer replays after the server restarts")
    void replayAfterRestart() {
        try (TestDatabase own = createDatabase()) {
            String key = UUID.randomUUID().toString();
            User owner;
            String listId;
            Response first;
            try (TestServer before = TestServer.start(own.settings())) {
                owner = before.api().register();
                listId = before.api().createList(owner, "Restart");
                first = keyed(before, "POST", "/api/v1/lists/" + listId + "/items", owner,
                        json(Map.of("name", "Coffee")), key);
                assertThat(first.status()).isEqualTo(201);
            }
            try (TestServer after = TestServer.start(own.settings())) {
                Response again = keyed(after, "POST", "/api/v1/lists/" + listId + "/items", owner,
                        json(Map.of("name", "Coffee")), key);
                assertThat(again.status()).isEqualTo(201);
                assertThat(again.text()).isEqualTo(first.text());
                assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
                assertThat(after.api().get("/api/v1/lists/" + listId + "/items", owner.token()).json()
                        .get("items")).hasSize(1);
            }
        }
    }

    @Test
    @DisplayName("keys are kept for idempotency.retention, then pruned in the background; a later repeat runs again")
    void pruning() throws SQLException {
        try (TestDatabase own = createDatabase()) {
            Map<String, String> settings = new HashMap<>(own.settings());
            settings.put("idempotency.retention", "PT1S");
            settings.put("idempotency.prune-interval", "PT0.2S");
            try (TestServer server = TestServer.start(settings);
                 Connection jdbc = TestDatabases.connect(own)) {
                User owner = server.api().register();
                String listId = server.api().createList(owner, "Short memory");
                String items = "/api/v1/lists/" + listId + "/items";
                String key = UUID.randomUUID().toString();
                String body = json(Map.of("name", "Sugar"));
                long answeredAt = System.nanoTime();
                assertThat(keyed(server, "POST", items, owner, body, key).status()).isEqualTo(201);
                assertThat(keyed(server, "POST", items, owner, body, key).headers().firstValue("Idempotent-Replayed"))
                        .contains("true");

                Await.until(() -> keyRows(jdbc) == 0, WAIT);
                assertThat(Duration.ofNanos(System.nanoTime() - answeredAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                Response later = keyed(server, "POST", items, owner, body, key);
                assertThat(later.status()).isEqualTo(201);
                assertThat(later.headers().firstValue("Idempotent-Replayed")).isEmpty();
                assertThat(server.api().get(items, owner.token()).json().get("items")).hasSize(2);
            }
        }
    }

    @Test
    @DisplayName("pruning deletes keys older than the retention from the oldest stored on, and never a younger one")
    void pruningWalksFromTheOldest() throws SQLException {
        try (TestDatabase own = createDatabase()) {
            Map<String, String> settings = new HashMap<>(own.settings());
            settings.put("idempotency.retention", "PT1H");
            settings.put("idempotency.prune-interval", "PT1H"); // only the prune() below runs
            try (TestServer server = TestServer.start(settings);
                 Connection jdbc = TestDatabases.connect(own)) {
                // stored in this order; the last one was stamped by an instance whose clock runs behind
                List<String> ages = List.of("old-1", "old-2", "young", "old-behind-a-young-one");
                for (String age : ages) {
                    try (PreparedStatement insert = jdbc.prepareStatement("INSERT INTO idempotency_keys (user_id, "
                            + "idem_key, method, path, body_hash, status, created_at) VALUES ('u', ?, 'POST', '/p', "
                            + "'h', 201, ?)")) {
                        insert.setString(1, age);
                        insert.setObject(2, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                                .minusHours(age.startsWith("old") ? 2 : 0));
                        insert.executeUpdate();
                    }
                }
                assertThat(server.app().idempotencyPruner().prune()).isEqualTo(2);
                assertThat(keys(jdbc)).containsExactlyInAnyOrder("young", "old-behind-a-young-one");

                try (Statement delete = jdbc.createStatement()) {
                    delete.executeUpdate("DELETE FROM idempotency_keys WHERE idem_key = 'young'");
                }
                assertThat(server.app().idempotencyPruner().prune()).isEqualTo(1);
                assertThat(keys(jdbc)).isEmpty();
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    static Response keyed(TestServer server, String method, String path, User user, String body, String key) {
        return server.api().send(method, path, user.token(), body, Map.of("Idempotency-Key", key));
    }

    /** Everything a user can read about a list (and their lists), for "nothing changed". */
    private String state(User user, String listId) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("lists", api.get("/api/v1/lists", user.token()).text());
        for (String part : List.of("", "/items", "/categories", "/members")) {
            Response r = api.get("/api/v1/lists/" + listId + part, user.token());
            state.put(part, r.status() + " " + r.text());
        }
        return state.toString();
    }

    List<String> itemNames(User user, String listId) {
        List<String> names = new ArrayList<>();
        api.get("/api/v1/lists/" + listId + "/items", user.token()).json().get("items")
                .forEach(item -> names.add(item.get("name").asText()));
        return names;
    }

    private long version(User user, String listId) {
        return api.get("/api/v1/lists/" + listId, user.token()).json().get("version").asLong();
    }

    /** The status remembered for the user's key, or null when none is. */
    Integer storedAnswer(User user, String key) {
        try (Connection jdbc = TestDatabases.connect(database);
             PreparedStatement s = jdbc.prepareStatement(
                     "SELECT status FROM idempotency_keys WHERE user_id = ? AND idem_key = ?")) {
            s.setString(1, user.id());
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> keys(Connection jdbc) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Statement s = jdbc.createStatement(); ResultSet rs = s.executeQuery("SELECT idem_key FROM idempotency_keys")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    private static int keyRows(Connection jdbc) {
        try (Statement s = jdbc.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM idempotency_keys")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertProblem(Response r, int status, String... detailMentions) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        JsonNode problem = r.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        for (String mention : detailMentions) {
            assertThat(problem.get("detail").asText()).as(r.toString()).contains(mention);
        }
    }

    record RawResponse(int status, String text) {
    }

    /** One request over a plain socket, for header values an HTTP client library refuses to send. */
    private RawResponse raw(String method, String path, User user, String body, String extraHeaders) throws IOException {
        byte[] entity = body.getBytes(StandardCharsets.UTF_8);
        String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Authorization: Bearer " + user.token() + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + entity.length + "\r\n" + extraHeaders + "\r\n";
        try (Socket socket = new Socket("127.0.0.1", a.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.write(entity);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            String answer = head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new RawResponse(Integer.parseInt(answer.substring(9, 12)), answer);
        }
    }
}
