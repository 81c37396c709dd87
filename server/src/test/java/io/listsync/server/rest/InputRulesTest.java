package io.listsync.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.Response;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.TestDatabases.TestDatabase;
import io.listsync.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.listsync.server.rest.RestContractTest.assertProblem;
import static io.listsync.server.rest.RestContractTest.mapOf;
import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input that once gave a 500 or corrupted a list, on each database (one subclass per database): every text field
 * follows one rule (code points, no NUL, no unpaired surrogate), every number one range, constraint races are 409,
 * and a token outliving its user is 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InputRulesTest {

    /** One emoji: one character (code point), two UTF-16 units, four UTF-8 bytes. */
    private static final String EMOJI = "\uD83D\uDE00";

    private TestDatabase database;
    private TestServer server;
    private Api api;

    abstract TestDatabase createDatabase();

    @BeforeAll
    void startServer() {
        database = createDatabase();
        server = TestServer.start(database.settings());
        api = server.api();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    // ---- text --------------------------------------------------------------------------------------------

    @Test
    @DisplayName("every text field holds its limit in emoji and gives back exactly what was sent; one more is 400")
    void limitsCountCharactersNotBytes() {
        String displayName = EMOJI.repeat(200);
        Response registered = api.post("/api/v1/auth/register", null, json(Map.of("email",
                "emoji-" + System.nanoTime() + "@example.com", "password", EMOJI.repeat(8), "displayName", displayName)));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        assertThat(registered.json().at("/user/displayName").asText()).isEqualTo(displayName);
        String token = registered.json().get("accessToken").asText();
        assertThat(api.get("/api/v1/me", token).json().get("displayName").asText()).isEqualTo(displayName);

        String name = EMOJI.repeat(200);
        Response list = api.post("/api/v1/lists", token, json(Map.of("name", name)));
        assertThat(list.status()).as(list.toString()).isEqualTo(201);
        String listId = list.json().get("id").asText();
        assertThat(api.get("/api/v1/lists/" + listId, token).json().get("name").asText()).isEqualTo(name);
        assertThat(api.patch("/api/v1/lists/" + listId, token, json(Map.of("name", "x" + name.substring(2))))
                .status()).isEqualTo(200);

        Response category = api.post("/api/v1/lists/" + listId + "/categories", token, json(Map.of("name", name)));
        assertThat(category.status()).as(category.toString()).isEqualTo(201);
        String categoryId = category.json().get("id").asText();

        String quantity = EMOJI.repeat(50);
        String note = EMOJI.repeat(2000);
        Response item = api.post("/api/v1/lists/" + listId + "/items", token, json(Map.of(
                "name", name, "quantity", quantity, "note", note, "categoryId", categoryId)));
        assertThat(item.status()).as(item.toString()).isEqualTo(201);
        JsonNode stored = api.get("/api/v1/lists/" + listId + "/items", token).json().at("/items/0");
        assertThat(stored.get("name").asText()).isEqualTo(name);
        assertThat(stored.get("quantity").asText()).isEqualTo(quantity);
        assertThat(stored.get("note").asText()).isEqualTo(note);
        assertThat(api.get("/api/v1/lists/" + listId + "/categories", token).json().at("/categories/0/name").asText())
                .isEqualTo(name);

        String items = "/api/v1/lists/" + listId + "/items";
        assertProblem(api.post(items, token, json(Map.of("name", name + EMOJI))), 400, "name", "200");
        assertProblem(api.post(items, token, json(Map.of("name", "x", "quantity", quantity + EMOJI))), 400,
                "quantity", "50");
        assertProblem(api.post(items, token, json(Map.of("name", "x", "note", note + EMOJI))), 400, "note", "2000");
        assertProblem(api.post("/api/v1/lists", token, json(Map.of("name", name + EMOJI))), 400, "name");
        assertProblem(api.post("/api/v1/lists/" + listId + "/categories", token, json(Map.of("name", name + EMOJI))),
                400, "name");
    }

    @Test
    @DisplayName("a NUL character in any text field is 400 naming the field, and changes nothing")
    void nulIsRefusedEverywhere() {
        User owner = api.register();
        User friend = api.register();
        String listId = api.createList(owner, "Nul");
        String itemId = api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "Milk")))
                .json().get("id").asText();
        String categoryId = api.post("/api/v1/lists/" + listId + "/categories", owner.token(),
                json(Map.of("name", "Dairy"))).json().get("id").asText();
        long version = version(owner, listId);
        String nul = "a\u0000b";
        String list = "/api/v1/lists/" + listId;

        record Case(String method, String path, String token, Map<String, Object> body, String field) {
        }
        List<Case> cases = List.of(
                new Case("POST", "/api/v1/auth/register", null,
                        mapOf("email", "nul" + nul + "@example.com", "password", "long-enough", "displayName", "N"),
                        "email"),
                new Case("POST", "/api/v1/auth/register", null,
                        mapOf("email", "nul@example.com", "password", "long-" + nul + "-enough", "displayName", "N"),
                        "password"),
                new Case("POST", "/api/v1/auth/register", null,
                        mapOf("email", "nul2@example.com", "password", "long-enough", "displayName", nul),
                        "displayName"),
                new Case("POST", "/api/v1/auth/login", null, mapOf("email", owner.email() + nul, "password", "x"),
                        "email"),
                new Case("POST", "/api/v1/auth/login", null, mapOf("email", owner.email(), "password", nul),
                        "password"),
                new Case("POST", "/api/v1/auth/refresh", null, mapOf("refreshToken", nul), "refreshToken"),
                new Case("POST", "/api/v1/auth/logout", null, mapOf("refreshToken", nul), "refreshToken"),
                new Case("POST", "/api/v1/lists", owner.token(), mapOf("name", nul), "name"),
                new Case("PATCH", list, owner.token(), mapOf("name", nul), "name"),
                new Case("POST", list + "/members", owner.token(), mapOf("email", friend.email() + nul,
                        "role", "editor"), "email"),
                new Case("POST", list + "/members", owner.token(), mapOf("email", friend.email(),
                        "role", "editor" + nul), "role"),
                new Case("POST", list + "/items", owner.token(), mapOf("name", nul), "name"),
                new Case("POST", list + "/items", owner.token(), mapOf("name", "x", "quantity", nul), "quantity"),
                new Case("POST", list + "/items", owner.token(), mapOf("name", "x", "note", nul), "note"),
                new Case("POST", list + "/items", owner.token(), mapOf("name", "x", "categoryId", nul), "categoryId"),
                new Case("PATCH", list + "/items/" + itemId, owner.token(), mapOf("name", nul), "name"),
                new Case("PATCH", list + "/items/" + itemId, owner.token(), mapOf("quantity", nul), "quantity"),
                new Case("PATCH", list + "/items/" + itemId, owner.token(), mapOf("note", nul), "note"),
                new Case("PATCH", list + "/items/" + itemId, owner.token(), mapOf("categoryId", nul), "categoryId"),
                new Case("POST", list + "/items/bulk-delete", owner.token(), mapOf("itemIds", List.of(itemId, nul)),
                        "itemIds"),
                new Case("POST", list + "/categories", owner.token(), mapOf("name", nul), "name"),
                new Case("PATCH", list + "/categories/" + categoryId, owner.token(), mapOf("name", nul), "name"));
        for (Case c : cases) {
            assertProblem(api.send(c.method(), c.path(), c.token(), json(c.body())), 400, c.field());
        }
        assertThat(version(owner, listId)).as("nothing changed").isEqualTo(version);
        assertThat(api.get(list + "/members", owner.token()).json()).hasSize(1);
    }

    @Test
    @DisplayName("an unpaired UTF-16 surrogate in a text field is 400 naming the field; a paired one is a character")
    void loneSurrogatesAreRefused() {
        User owner = api.register();
        String items = "/api/v1/lists/" + api.createList(owner, "Surrogates") + "/items";
        for (String lone : List.of("\\ud83d", "\\ude00", "x\\ude00\\ud83d", "end\\ud83d")) {
            assertProblem(api.post(items, owner.token(), "{\"name\":\"" + lone + "\"}"), 400, "name", "surrogate");
            assertProblem(api.post(items, owner.token(), "{\"name\":\"n\",\"note\":\"" + lone + "\"}"), 400, "note");
        }
        Response paired = api.post(items, owner.token(), "{\"name\":\"\\ud83d\\ude00\"}");
        assertThat(paired.status()).isEqualTo(201);
        assertThat(paired.json().get("name").asText()).isEqualTo(EMOJI);
        assertProblem(api.post("/api/v1/auth/register", null,
                "{\"email\":\"s@example.com\",\"password\":\"pass\\ud800word\",\"displayName\":\"S\"}"), 400, "password");
    }

    @Test
    @DisplayName("NUL or an unpaired surrogate in a path or query is 400, never a database error")
    void nulInPathOrQuery() {
        User owner = api.register();
        String listId = api.createList(owner, "Paths");
        for (String path : List.of("/api/v1/lists/%00", "/api/v1/lists/%00/items", "/api/v1/lists/" + listId
                + "/items/%00", "/api/v1/lists/a%00b/categories", "/%00", "/lists/%00")) {
            Response r = api.get(path, owner.token());
            assertProblem(r, 400, "NUL");
        }
        assertProblem(api.send("PATCH", "/api/v1/lists/" + listId + "/items/%00", owner.token(),
                json(Map.of("name", "x"))), 400);
        assertProblem(api.delete("/api/v1/lists/" + listId + "/members/%00", owner.token()), 400);
        assertProblem(api.get("/api/v1/lists/" + listId + "/items?includeChecked=%00", owner.token()), 400,
                "includeChecked");
        assertProblem(api.get("/api/v1/lists/" + listId + "/items?x%00=1", owner.token()), 400);
        Response invalidUtf8 = api.get("/api/v1/lists/%ED%A0%BD", owner.token());
        assertThat(invalidUtf8.status()).as(invalidUtf8.toString()).isIn(400, 404);
        assertThat(invalidUtf8.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/api/v1/lists/" + listId, owner.token()).status()).isEqualTo(200);
    }

    // ---- numbers -----------------------------------------------------------------------------------------

    @Test
    @DisplayName("positions outside 0..1,000,000,000 are 400; at the top, new items still go last and nothing overflows")
    void positionsAreBounded() {
        User owner = api.register();
        String listId = api.createList(owner, "Positions");
        String items = "/api/v1/lists/" + listId + "/items";
        String categories = "/api/v1/lists/" + listId + "/categories";
        String first = api.post(items, owner.token(), json(Map.of("name", "first"))).json().get("id").asText();
        String category = api.post(categories, owner.token(), json(Map.of("name", "c"))).json().get("id").asText();
        long version = version(owner, listId);
        for (Object bad : List.of(1_000_000_001L, 2_147_483_647L, 2_147_483_648L, 9_007_199_254_740_993L, -1, 1.5,
                "3", true)) {
            assertProblem(api.patch(items + "/" + first, owner.token(), json(Map.of("position", bad))), 400,
                    "position");
            assertProblem(api.patch(categories + "/" + category, owner.token(), json(Map.of("position", bad))), 400,
                    "position");
            assertProblem(api.post(categories, owner.token(), json(Map.of("name", "c", "position", bad))), 400,
                    "position");
        }
        assertProblem(api.patch(items + "/" + first, owner.token(), "{\"position\":1e400}"), 400, "position");
        assertThat(version(owner, listId)).isEqualTo(version);

        assertThat(api.patch(items + "/" + first, owner.token(), json(Map.of("position", 1_000_000_000))).status())
                .isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            Response next = api.post(items, owner.token(), json(Map.of("name", "after " + i)));
            assertThat(next.status()).as(next.toString()).isEqualTo(201);
            assertThat(next.json().get("position").asInt()).isEqualTo(1_000_000_000);
        }
        List<String> order = new ArrayList<>();
        api.get(items, owner.token()).json().get("items").forEach(i -> order.add(i.get("name").asText()));
        assertThat(order).containsExactly("first", "after 0", "after 1", "after 2");

        assertThat(api.patch(categories + "/" + category, owner.token(), json(Map.of("position", 1_000_000_000)))
                .status()).isEqualTo(200);
        Response nextCategory = api.post(categories, owner.token(), json(Map.of("name", "d")));
        assertThat(nextCategory.status()).isEqualTo(201);
        assertThat(nextCategory.json().get("position").asInt()).isEqualTo(1_000_000_000);
        // moving an item into the full category without a position appends it there, too
        Response moved = api.patch(items + "/" + first, owner.token(), json(Map.of("categoryId", category)));
        assertThat(moved.status()).isEqualTo(200);
    }

    // ---- races on unique constraints ---------------------------------------------------------------------

    @Test
    @DisplayName("parallel registrations of one email: exactly one 201, every other 409")
    void parallelRegistrations() throws Exception {
        String email = "race-" + System.nanoTime() + "@example.com";
        List<Response> answers = parallel(12, () -> api.post("/api/v1/auth/register", null,
                json(Map.of("email", email, "password", "correct horse", "displayName", "Racer"))));
        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(answers).filteredOn(r -> r.status() != 201)
                .allSatisfy(r -> assertProblem(r, 409));
    }

    @Test
    @DisplayName("parallel shares of one user: exactly one 201, every other 409, one membership (ten rounds)")
    void parallelShares() throws Exception {
        User owner = api.register();
        String listId = api.createList(owner, "Shared at once");
        for (int round = 1; round <= 10; round++) {
            User friend = api.register();
            List<Response> answers = parallel(16, () -> api.post("/api/v1/lists/" + listId + "/members",
                    owner.token(), json(Map.of("email", friend.email(), "role", "editor"))));
            assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(1);
            assertThat(answers).filteredOn(r -> r.status() != 201)
                    .allSatisfy(r -> assertProblem(r, 409));
            assertThat(api.get("/api/v1/lists/" + listId + "/members", owner.token()).json()).hasSize(1 + round);
        }
    }

    // ---- tokens ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("a validly signed token whose user no longer exists is 401 on every call")
    void tokenOfDeletedUser() {
        User owner = api.register();
        User ghost = api.register();
        String listId = api.createList(owner, "Haunted");
        api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", ghost.email(), "role", "editor")));
        String itemId = api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "Milk")))
                .json().get("id").asText();
        server.app().database().inTransaction(tx -> tx.delete("DELETE FROM users WHERE id = ?", ghost.id()));

        String list = "/api/v1/lists/" + listId;
        String token = ghost.token();
        assertProblem(api.get("/api/v1/me", token), 401);
        assertProblem(api.get("/api/v1/lists", token), 401);
        assertProblem(api.post("/api/v1/lists", token, json(Map.of("name", "Mine"))), 401);
        assertProblem(api.get(list, token), 401);
        assertProblem(api.patch(list, token, json(Map.of("name", "Renamed"))), 401);
        assertProblem(api.get(list + "/items", token), 401);
        assertProblem(api.post(list + "/items", token, json(Map.of("name", "Eggs"))), 401);
        assertProblem(api.post(list + "/items/" + itemId + "/check", token, null), 401);
        assertProblem(api.post(list + "/categories", token, json(Map.of("name", "Dairy"))), 401);
        assertProblem(api.get(list + "/members", token), 401);
        assertProblem(api.delete(list + "/members/" + ghost.id(), token), 401);
    }

    @Test
    @DisplayName("a token with characters appended to any segment is 401")
    void appendedCharacters() {
        User user = api.register();
        String[] parts = user.token().split("\\.");
        for (String extra : List.of("=", "==", "%", "!", "A", "~")) {
            assertProblem(api.get("/api/v1/me", user.token() + extra), 401);
            assertProblem(api.get("/api/v1/me", parts[0] + extra + "." + parts[1] + "." + parts[2]), 401);
            assertProblem(api.get("/api/v1/me", parts[0] + "." + parts[1] + extra + "." + parts[2]), 401);
        }
        assertThat(api.get("/api/v1/me", user.token()).status()).isEqualTo(200);
    }

    private long version(User user, String listId) {
        return api.get("/api/v1/lists/" + listId, user.token()).json().get("version").asLong();
    }

    /** Runs {@code count} copies of {@code call} at once, each on its own thread, released together. */
    private static List<Response> parallel(int count, Callable<Response> call) throws Exception {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        }
    }
}
