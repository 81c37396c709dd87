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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every REST row of the contract, run against a real server on each database (one subclass per database).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RestContractTest {

    private static final Pattern ISO_MILLIS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    private TestDatabase database;
    private TestServer server;
    Api api;

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

    // ---- accounts -------------------------------------------------------------------------------------------

    @Test
    @DisplayName("register answers 201 with the user and a session; /me returns the user")
    void registerAndMe() {
        Response r = api.post("/api/v1/auth/register", null,
                json(Map.of("email", "Ann.Example@Example.com", "password", "s3cret-pass", "displayName", "Ann")));
        assertThat(r.status()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.at("/user/email").asText()).isEqualTo("ann.example@example.com");
        assertThat(body.at("/user/displayName").asText()).isEqualTo("Ann");
        assertThat(body.at("/user/id").asText()).isNotEmpty();
        assertThat(body.get("expiresIn").asLong()).isEqualTo(900);
        assertThat(body.get("refreshToken").asText()).isNotEmpty();
        assertThat(body.toString()).doesNotContain("s3cret-pass").doesNotContain("password");

        Response me = api.get("/api/v1/me", body.get("accessToken").asText());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json()).isEqualTo(body.get("user"));
    }

    @Test
    @DisplayName("registering a taken email, in any letter case, is 409")
    void duplicateEmail() {
        User user = api.register();
        Response r = api.post("/api/v1/auth/register", null,
                json(Map.of("email", user.email().toUpperCase(), "password", "another-pass", "displayName", "X")));
        assertProblem(r, 409);
    }

    @Test
    @DisplayName("register validates email, password length and display name, naming the field")
    void registerValidation() {
        assertProblem(api.post("/api/v1/auth/register", null,
                json(Map.of("email", "not-an-email", "password", "long-enough", "displayName", "X"))), 400, "email");
        assertProblem(api.post("/api/v1/auth/register", null,
                json(Map.of("email", "short@example.com", "password", "short", "displayName", "X"))), 400,
                "password");
        assertProblem(api.post("/api/v1/auth/register", null,
                json(Map.of("email", "nodisplay@example.com", "password", "long-enough"))), 400, "displayName");
        assertProblem(api.post("/api/v1/auth/register", null,
                json(Map.of("email", "long@example.com", "password", "long-enough", "displayName", "x".repeat(201)))),
                400, "displayName");
    }

    @Test
    @DisplayName("login answers a session for the right password and 401 for a wrong one or an unknown email")
    void login() {
        User user = api.register();
        Response ok = api.post("/api/v1/auth/login", null,
                json(Map.of("email", user.email(), "password", user.password())));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().at("/user/id").asText()).isEqualTo(user.id());
        assertThat(api.get("/api/v1/me", ok.json().get("accessToken").asText()).status()).isEqualTo(200);

        assertProblem(api.post("/api/v1/auth/login", null,
                json(Map.of("email", user.email(), "password", "wrong-password"))), 401);
        assertProblem(api.post("/api/v1/auth/login", null,
                json(Map.of("email", "nobody-" + user.email(), "password", "whatever1"))), 401);
    }

    @Test
    @DisplayName("refresh rotates: the new refresh token works once, a reused old one is 401 and revokes the family")
    void refreshRotation() {
        User user = api.register();
        Response first = api.post("/api/v1/auth/refresh", null, json(Map.of("refreshToken", user.refreshToken())));
        assertThat(first.status()).isEqualTo(200);
        String second = first.json().get("refreshToken").asText();
        assertThat(second).isNotEqualTo(user.refreshToken());
        assertThat(api.get("/api/v1/me", first.json().get("accessToken").asText()).status()).isEqualTo(200);

        // the old token again: refused, and the whole family (including `second`) is revoked
        assertProblem(api.post("/api/v1/auth/refresh", null, json(Map.of("refreshToken", user.refreshToken()))), 401);
        assertProblem(api.post("/api/v1/auth/refresh", null, json(Map.of("refreshToken", second))), 401);
        assertProblem(api.post("/api/v1/auth/refresh", null, json(Map.of("refreshToken", "made-up"))), 401);
    }

    @Test
    @DisplayName("logout revokes the session's refresh tokens (an extension of the contract)")
    void logout() {
        User user = api.register();
        String rotated = api.post("/api/v1/auth/refresh", null, json(Map.of("refreshToken", user.refreshToken())))
                .json().get("refreshToken").asText();
        assertThat(api.post("/api/v1/auth/logout", null, json(Map.of("refreshToken", rotated))).status())
                .isEqualTo(204);
        assertProblem(api.post("/api/v1/auth/refresh", null, json(Map.of("refreshToken", rotated))), 401);
        // another login's session is untouched
        Response other = api.post("/api/v1/auth/login", null,
                json(Map.of("email", user.email(), "password", user.password())));
        assertThat(api.post("/api/v1/auth/refresh", null,
                json(Map.of("refreshToken", other.json().get("refreshToken").asText()))).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/auth/logout", null, json(Map.of("refreshToken", "unknown"))).status())
                .isEqualTo(204);
    }

    @Test
    @DisplayName("a failed-login streak on one account is answered 429 with Retry-After")
    void failedLoginsAreLimited() {
        User user = api.register();
        for (int i = 0; i < 10; i++) {
            assertProblem(api.post("/api/v1/auth/login", null,
                    json(Map.of("email", user.email(), "password", "wrong-" + i))), 401);
        }
        Response limited = api.post("/api/v1/auth/login", null,
                json(Map.of("email", user.email(), "password", user.password())));
        assertProblem(limited, 429);
        assertThat(limited.headers().firstValue("retry-after")).isPresent();
        assertThat(Long.parseLong(limited.headers().firstValue("retry-after").get())).isPositive();
    }

    @Test
    @DisplayName("a missing, malformed, tampered or foreign-algorithm token is 401")
    void badTokens() {
        User user = api.register();
        assertProblem(api.get("/api/v1/me", null), 401);
        assertProblem(api.get("/api/v1/me", "garbage"), 401);
        String[] parts = user.token().split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertProblem(api.get("/api/v1/me", tampered), 401);
        String none = base64("{\"alg\":\"none\"}") + "." + parts[1] + ".";
        assertProblem(api.get("/api/v1/me", none), 401);
        String hs512 = base64("{\"alg\":\"HS512\"}") + "." + parts[1] + "." + parts[2];
        assertProblem(api.get("/api/v1/lists", hs512), 401);
    }

    // ---- lists and sharing ----------------------------------------------------------------------------------

    @Test
    @DisplayName("creating a list makes the caller its owner at version 0; it shows in GET /lists and GET /lists/{id}")
    void createAndReadList() {
        User owner = api.register();
        Response created = api.post("/api/v1/lists", owner.token(), json(Map.of("name", "Groceries")));
        assertThat(created.status()).isEqualTo(201);
        JsonNode list = created.json();
        assertThat(list.get("name").asText()).isEqualTo("Groceries");
        assertThat(list.get("role").asText()).isEqualTo("owner");
        assertThat(list.get("version").asLong()).isZero();
        assertThat(list.get("createdAt").asText()).matches(ISO_MILLIS);
        assertThat(list.get("updatedAt").asText()).matches(ISO_MILLIS);

        String id = list.get("id").asText();
        assertThat(api.get("/api/v1/lists/" + id, owner.token()).json()).isEqualTo(list);
        Response all = api.get("/api/v1/lists", owner.token());
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json()).hasSize(1);
        assertThat(all.json().get(0).get("id").asText()).isEqualTo(id);
    }

    @Test
    @DisplayName("renaming bumps the version by one; editors may rename, viewers get 403")
    void renameList() {
        User owner = api.register();
        User editor = api.register();
        User viewer = api.register();
        String listId = api.createList(owner, "Old");
        share(owner, listId, editor, "editor");
        share(owner, listId, viewer, "viewer");

        Response renamed = api.patch("/api/v1/lists/" + listId, owner.token(), json(Map.of("name", "New")));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("New");
        assertThat(renamed.json().get("version").asLong()).isEqualTo(1);

        Response byEditor = api.patch("/api/v1/lists/" + listId, editor.token(), json(Map.of("name", "Newer")));
        assertThat(byEditor.status()).isEqualTo(200);
        assertThat(byEditor.json().get("role").asText()).isEqualTo("editor");
        assertThat(byEditor.json().get("version").asLong()).isEqualTo(2);

        assertProblem(api.patch("/api/v1/lists/" + listId, viewer.token(), json(Map.of("name", "Nope"))), 403);
        assertProblem(api.patch("/api/v1/lists/" + listId, owner.token(), json(Map.of("name", ""))), 400, "name");
        assertThat(api.get("/api/v1/lists/" + listId, viewer.token()).json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    @DisplayName("a signed, unexpired token whose user is gone gets 401 everywhere, on lists it was a member of and on others alike")
    void tokenOfAGoneUser() {
        User owner = api.register();
        User gone = api.register();
        String listId = api.createList(owner, "Shared");
        assertThat(api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", gone.email(), "role", "editor"))).status()).isEqualTo(201);
        String itemId = api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "Milk")))
                .json().get("id").asText();
        String elsewhere = api.createList(owner, "Not shared");
        // an operator removes the account; the token, signed and not stored, lives on until it expires
        server.app().database().inTransaction(tx -> tx.dml("DELETE FROM users WHERE id = ?", gone.id()));
        String base = "/api/v1/lists/" + listId;
        for (Response r : List.of(
                api.get("/api/v1/me", gone.token()),
                api.get("/api/v1/lists", gone.token()),
                api.get(base, gone.token()),
                api.patch(base, gone.token(), json(Map.of("name", "x"))),
                api.post(base + "/items", gone.token(), json(Map.of("name", "x"))),
                api.patch(base + "/items/" + itemId, gone.token(), json(Map.of("name", "x"))),
                api.post(base + "/items/" + itemId + "/check", gone.token(), null),
                api.delete(base + "/items/" + itemId, gone.token()),
                api.post(base + "/categories", gone.token(), json(Map.of("name", "x"))),
                api.post("/api/v1/lists/" + elsewhere + "/items", gone.token(), json(Map.of("name", "x"))),
                api.post("/api/v1/lists/does-not-exist/items", gone.token(), json(Map.of("name", "x"))))) {
            assertProblem(r, 401, "does not exist");
        }
        // nothing it tried happened
        assertThat(api.get(base + "/items", owner.token()).json().get("items")).singleElement()
                .satisfies(item -> assertThat(item.get("name").asText()).isEqualTo("Milk"));
    }

    @Test
    @DisplayName("a non-member gets 404 for everything under a list, exactly as for a list that does not exist")
    void nonMembersSeeNothing() {
        User owner = api.register();
        User stranger = api.register();
        String listId = api.createList(owner, "Private");
        String itemId = api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "Milk")))
                .json().get("id").asText();
        String base = "/api/v1/lists/" + listId;
        for (Response r : List.of(
                api.get(base, stranger.token()),
                api.patch(base, stranger.token(), json(Map.of("name", "x"))),
                api.delete(base, stranger.token()),
                api.get(base + "/members", stranger.token()),
                api.post(base + "/members", stranger.token(), json(Map.of("email", stranger.email(), "role", "editor"))),
                api.get(base + "/items", stranger.token()),
                api.post(base + "/items", stranger.token(), json(Map.of("name", "x"))),
                api.patch(base + "/items/" + itemId, stranger.token(), json(Map.of("name", "x"))),
                api.post(base + "/items/" + itemId + "/check", stranger.token(), null),
                api.delete(base + "/items/" + itemId, stranger.token()),
                api.get(base + "/categories", stranger.token()),
                api.post(base + "/categories", stranger.token(), json(Map.of("name", "x"))))) {
            assertProblem(r, 404);
        }
        Response unknown = api.get("/api/v1/lists/does-not-exist", stranger.token());
        assertProblem(unknown, 404);
        assertThat(api.get(base, stranger.token()).json().get("detail"))
                .isEqualTo(unknown.json().get("detail"));
    }

    @Test
    @DisplayName("sharing: owner adds, lists, re-roles and removes members; duplicates 409; unknown email 404")
    void sharing() {
        User owner = api.register();
        User friend = api.register();
        String listId = api.createList(owner, "Shared");
        String members = "/api/v1/lists/" + listId + "/members";

        Response added = api.post(members, owner.token(), json(Map.of("email", friend.email(), "role", "viewer")));
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().at("/user/id").asText()).isEqualTo(friend.id());
        assertThat(added.json().get("role").asText()).isEqualTo("viewer");

        assertProblem(api.post(members, owner.token(), json(Map.of("email", friend.email(), "role", "editor"))), 409);
        assertProblem(api.post(members, owner.token(), json(Map.of("email", "ghost@example.com", "role", "editor"))),
                404);
        assertProblem(api.post(members, owner.token(), json(Map.of("email", friend.email(), "role", "owner"))), 400,
                "role");

        // the friend sees the list with their role
        assertThat(api.get("/api/v1/lists", friend.token()).json().get(0).get("role").asText()).isEqualTo("viewer");
        Response all = api.get(members, friend.token());
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json()).hasSize(2);

        // only the owner manages members
        assertProblem(api.post(members, friend.token(), json(Map.of("email", owner.email(), "role", "editor"))), 403);

        Response promoted = api.patch(members + "/" + friend.id(), owner.token(), json(Map.of("role", "editor")));
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("role").asText()).isEqualTo("editor");

        // membership changes do not change the list's version
        assertThat(api.get("/api/v1/lists/" + listId, owner.token()).json().get("version").asLong()).isZero();

        assertThat(api.delete(members + "/" + friend.id(), owner.token()).status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/lists/" + listId, friend.token()), 404);
    }

    @Test
    @DisplayName("a member may leave; the owner can neither leave nor be removed (409)")
    void leaving() {
        User owner = api.register();
        User friend = api.register();
        User other = api.register();
        String listId = api.createList(owner, "Leave me");
        share(owner, listId, friend, "editor");
        share(owner, listId, other, "editor");
        String members = "/api/v1/lists/" + listId + "/members/";

        assertProblem(api.delete(members + other.id(), friend.token()), 403);
        assertThat(api.delete(members + friend.id(), friend.token()).status()).isEqualTo(204);
        assertProblem(api.delete(members + owner.id(), owner.token()), 409);
        assertProblem(api.patch(members + owner.id(), owner.token(), json(Map.of("role", "viewer"))), 409);
    }

    @Test
    @DisplayName("only the owner deletes a list; its items, categories and members go with it")
    void deleteList() {
        User owner = api.register();
        User editor = api.register();
        String listId = api.createList(owner, "Doomed");
        share(owner, listId, editor, "editor");
        api.post("/api/v1/lists/" + listId + "/categories", owner.token(), json(Map.of("name", "Dairy")));
        api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("name", "Milk")));

        assertProblem(api.delete("/api/v1/lists/" + listId, editor.token()), 403);
        assertThat(api.delete("/api/v1/lists/" + listId, owner.token()).status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/lists/" + listId, owner.token()), 404);
        assertProblem(api.get("/api/v1/lists/" + listId + "/items", editor.token()), 404);
        assertThat(api.get("/api/v1/lists", editor.token()).json()).isEmpty();
    }

    // ---- items ----------------------------------------------------------------------------------------------

    @Test
    @DisplayName("an item is created with every field; each write bumps the version by exactly one")
    void itemLifecycle() {
        User owner = api.register();
        String listId = api.createList(owner, "Items");
        String items = "/api/v1/lists/" + listId + "/items";

        Response created = api.post(items, owner.token(),
                json(Map.of("name", "Milk", "quantity", "2 l", "note", "the organic one")));
        assertThat(created.status()).isEqualTo(201);
        JsonNode item = created.json();
        assertThat(item.get("listId").asText()).isEqualTo(listId);
        assertThat(item.get("name").asText()).isEqualTo("Milk");
        assertThat(item.get("quantity").asText()).isEqualTo("2 l");
        assertThat(item.get("note").asText()).isEqualTo("the organic one");
        assertThat(item.get("categoryId").isNull()).isTrue();
        assertThat(item.get("checked").asBoolean()).isFalse();
        assertThat(item.get("checkedAt").isNull()).isTrue();
        assertThat(item.get("createdAt").asText()).matches(ISO_MILLIS);
        assertThat(fieldNames(item)).containsExactly("id", "listId", "name", "quantity", "note", "categoryId",
                "position", "checked", "checkedAt", "createdAt", "updatedAt");
        String itemId = item.get("id").asText();
        assertThat(version(owner, listId)).isEqualTo(1);

        Response updated = api.patch(items + "/" + itemId, owner.token(),
                json(mapOf("name", "Oat milk", "quantity", null)));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("name").asText()).isEqualTo("Oat milk");
        assertThat(updated.json().get("quantity").isNull()).isTrue();
        assertThat(updated.json().get("note").asText()).isEqualTo("the organic one");
        assertThat(version(owner, listId)).isEqualTo(2);

        Response checked = api.post(items + "/" + itemId + "/check", owner.token(), null);
        assertThat(checked.status()).isEqualTo(200);
        assertThat(checked.json().get("checked").asBoolean()).isTrue();
        assertThat(checked.json().get("checkedAt").asText()).matches(ISO_MILLIS);
        assertThat(version(owner, listId)).isEqualTo(3);

        // a no-op check returns the item and changes nothing
        Response again = api.post(items + "/" + itemId + "/check", owner.token(), null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(checked.json());
        assertThat(version(owner, listId)).isEqualTo(3);

        JsonNode withoutChecked = api.get(items + "?includeChecked=false", owner.token()).json();
        assertThat(withoutChecked.get("items")).isEmpty();
        assertThat(withoutChecked.get("version").asLong()).isEqualTo(3);
        JsonNode all = api.get(items, owner.token()).json();
        assertThat(all.get("items")).hasSize(1);

        Response unchecked = api.post(items + "/" + itemId + "/uncheck", owner.token(), null);
        assertThat(unchecked.json().get("checked").asBoolean()).isFalse();
        assertThat(unchecked.json().get("checkedAt").isNull()).isTrue();
        assertThat(version(owner, listId)).isEqualTo(4);

        assertThat(api.delete(items + "/" + itemId, owner.token()).status()).isEqualTo(204);
        assertThat(version(owner, listId)).isEqualTo(5);
        assertProblem(api.delete(items + "/" + itemId, owner.token()), 404);
        assertProblem(api.patch(items + "/" + itemId, owner.token(), json(Map.of("name", "x"))), 404);
        assertThat(version(owner, listId)).isEqualTo(5);
    }

    @Test
    @DisplayName("new items go to the end of their category; the order is stable; explicit positions move items")
    void itemOrder() {
        User owner = api.register();
        String listId = api.createList(owner, "Order");
        String items = "/api/v1/lists/" + listId + "/items";
        String dairy = api.post("/api/v1/lists/" + listId + "/categories", owner.token(),
                json(Map.of("name", "Dairy"))).json().get("id").asText();

        JsonNode a = api.post(items, owner.token(), json(Map.of("name", "A"))).json();
        JsonNode b = api.post(items, owner.token(), json(Map.of("name", "B"))).json();
        JsonNode milk = api.post(items, owner.token(), json(Map.of("name", "Milk", "categoryId", dairy))).json();
        JsonNode cheese = api.post(items, owner.token(), json(Map.of("name", "Cheese", "categoryId", dairy))).json();
        assertThat(b.get("position").asInt()).isGreaterThan(a.get("position").asInt());
        assertThat(cheese.get("position").asInt()).isGreaterThan(milk.get("position").asInt());
        assertThat(milk.get("categoryId").asText()).isEqualTo(dairy);

        // moving B into Dairy puts it at Dairy's end
        JsonNode moved = api.patch(items + "/" + b.get("id").asText(), owner.token(),
                json(Map.of("categoryId", dairy))).json();
        assertThat(moved.get("position").asInt()).isGreaterThan(cheese.get("position").asInt());

        api.patch(items + "/" + a.get("id").asText(), owner.token(), json(Map.of("position", 100_000_000)));
        List<String> names = new ArrayList<>();
        api.get(items, owner.token()).json().get("items").forEach(i -> names.add(i.get("name").asText()));
        assertThat(names).containsExactly("Milk", "Cheese", "B", "A");
    }

    @Test
    @DisplayName("bulk-delete by ids or all checked; nothing matched is an empty answer and no version change")
    void bulkDelete() {
        User owner = api.register();
        String listId = api.createList(owner, "Bulk");
        String items = "/api/v1/lists/" + listId + "/items";
        String a = api.post(items, owner.token(), json(Map.of("name", "A"))).json().get("id").asText();
        String b = api.post(items, owner.token(), json(Map.of("name", "B"))).json().get("id").asText();
        String c = api.post(items, owner.token(), json(Map.of("name", "C"))).json().get("id").asText();
        api.post(items + "/" + b + "/check", owner.token(), null);
        api.post(items + "/" + c + "/check", owner.token(), null);
        long before = version(owner, listId);

        Response checked = api.post(items + "/bulk-delete", owner.token(), json(Map.of("checked", true)));
        assertThat(checked.status()).isEqualTo(200);
        assertThat(checked.json().get("deletedIds")).extracting(JsonNode::asText).containsExactlyInAnyOrder(b, c);
        assertThat(version(owner, listId)).isEqualTo(before + 1);

        Response none = api.post(items + "/bulk-delete", owner.token(), json(Map.of("checked", true)));
        assertThat(none.json().get("deletedIds")).isEmpty();
        Response unknown = api.post(items + "/bulk-delete", owner.token(), json(Map.of("itemIds", List.of("nope"))));
        assertThat(unknown.json().get("deletedIds")).isEmpty();
        assertThat(version(owner, listId)).isEqualTo(before + 1);

        Response byId = api.post(items + "/bulk-delete", owner.token(), json(Map.of("itemIds", List.of(a, "nope"))));
        assertThat(byId.json().get("deletedIds")).extracting(JsonNode::asText).containsExactly(a);
        assertThat(api.get(items, owner.token()).json().get("items")).isEmpty();

        assertProblem(api.post(items + "/bulk-delete", owner.token(), json(Map.of())), 400);
        assertProblem(api.post(items + "/bulk-delete", owner.token(), json(Map.of("checked", false))), 400,
                "checked");
        assertProblem(api.post(items + "/bulk-delete", owner.token(), json(Map.of("itemIds", "a"))), 400, "itemIds");
    }

    @Test
    @DisplayName("viewers read items and categories but every write is 403")
    void viewersCannotWrite() {
        User owner = api.register();
        User viewer = api.register();
        String listId = api.createList(owner, "Read only");
        share(owner, listId, viewer, "viewer");
        String base = "/api/v1/lists/" + listId;
        String itemId = api.post(base + "/items", owner.token(), json(Map.of("name", "Milk"))).json().get("id")
                .asText();
        String categoryId = api.post(base + "/categories", owner.token(), json(Map.of("name", "Dairy"))).json()
                .get("id").asText();

        assertThat(api.get(base + "/items", viewer.token()).status()).isEqualTo(200);
        assertThat(api.get(base + "/categories", viewer.token()).status()).isEqualTo(200);
        for (Response r : List.of(
                api.post(base + "/items", viewer.token(), json(Map.of("name", "x"))),
                api.patch(base + "/items/" + itemId, viewer.token(), json(Map.of("name", "x"))),
                api.post(base + "/items/" + itemId + "/check", viewer.token(), null),
                api.post(base + "/items/" + itemId + "/uncheck", viewer.token(), null),
                api.delete(base + "/items/" + itemId, viewer.token()),
                api.post(base + "/items/bulk-delete", viewer.token(), json(Map.of("checked", true))),
                api.post(base + "/categories", viewer.token(), json(Map.of("name", "x"))),
                api.patch(base + "/categories/" + categoryId, viewer.token(), json(Map.of("name", "x"))),
                api.delete(base + "/categories/" + categoryId, viewer.token()),
                api.delete(base, viewer.token()))) {
            assertProblem(r, 403);
        }
        assertThat(version(owner, listId)).isEqualTo(2);
    }

    // ---- categories -----------------------------------------------------------------------------------------

    @Test
    @DisplayName("categories: create, rename, reorder, delete; deleting keeps its items, uncategorized, in one version")
    void categories() {
        User owner = api.register();
        String listId = api.createList(owner, "Cats");
        String categories = "/api/v1/lists/" + listId + "/categories";
        Response created = api.post(categories, owner.token(), json(Map.of("name", "Dairy")));
        assertThat(created.status()).isEqualTo(201);
        JsonNode dairy = created.json();
        assertThat(fieldNames(dairy)).containsExactly("id", "listId", "name", "position");
        JsonNode bakery = api.post(categories, owner.token(), json(Map.of("name", "Bakery"))).json();
        assertThat(bakery.get("position").asInt()).isGreaterThan(dairy.get("position").asInt());
        String dairyId = dairy.get("id").asText();

        Response renamed = api.patch(categories + "/" + dairyId, owner.token(), json(Map.of("name", "Milk things",
                "position", 100_000_000)));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("Milk things");
        JsonNode listed = api.get(categories, owner.token()).json();
        assertThat(listed.get("categories").get(0).get("name").asText()).isEqualTo("Bakery");
        assertThat(listed.get("version").asLong()).isEqualTo(3);

        String itemId = api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                json(Map.of("name", "Milk", "categoryId", dairyId))).json().get("id").asText();
        long before = version(owner, listId);
        assertThat(api.delete(categories + "/" + dairyId, owner.token()).status()).isEqualTo(204);
        assertThat(version(owner, listId)).isEqualTo(before + 1);
        JsonNode items = api.get("/api/v1/lists/" + listId + "/items", owner.token()).json().get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("id").asText()).isEqualTo(itemId);
        assertThat(items.get(0).get("categoryId").isNull()).isTrue();
        assertProblem(api.delete(categories + "/" + dairyId, owner.token()), 404);
    }

    @Test
    @DisplayName("an item cannot point at a category of another list: 404 naming categoryId, as for a deleted one")
    void foreignCategory() {
        User owner = api.register();
        String listA = api.createList(owner, "A");
        String listB = api.createList(owner, "B");
        String foreign = api.post("/api/v1/lists/" + listB + "/categories", owner.token(),
                json(Map.of("name", "B's"))).json().get("id").asText();
        assertProblem(api.post("/api/v1/lists/" + listA + "/items", owner.token(),
                json(Map.of("name", "x", "categoryId", foreign))), 404, "categoryId");
        assertThat(version(owner, listA)).isZero();
    }

    // ---- concurrency ----------------------------------------------------------------------------------------

    @Test
    @DisplayName("50 parallel writers on one list: version equals the committed changes, one log row per version")
    void concurrentWriters() throws Exception {
        User owner = api.register();
        String listId = api.createList(owner, "Busy");
        String items = "/api/v1/lists/" + listId + "/items";
        int writers = 50;
        int perWriter = 4;
        var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            results.add(pool.submit(() -> {
                start.await();
                int committed = 0;
                for (int i = 0; i < perWriter; i++) {
                    Response r = api.post(items, owner.token(), json(Map.of("name", "w" + writer + "-" + i)));
                    if (r.status() == 201) {
                        committed++;
                    } else {
                        throw new AssertionError("write failed: " + r);
                    }
                }
                return committed;
            }));
        }
        start.countDown();
        int committed = 0;
        for (var result : results) {
            committed += result.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.close();

        assertThat(committed).isEqualTo(writers * perWriter);
        JsonNode snapshot = api.get(items, owner.token()).json();
        assertThat(snapshot.get("version").asLong()).isEqualTo(committed);
        assertThat(snapshot.get("items")).hasSize(committed);
        // each new item went after the one committed before it, even when its writer waited for the list's lock
        List<Long> positions = new ArrayList<>();
        snapshot.get("items").forEach(item -> positions.add(item.get("position").asLong()));
        assertThat(positions).doesNotHaveDuplicates();
        List<Long> logged = server.app().database().read()
                .query("SELECT version FROM list_events WHERE list_id = ? ORDER BY version", listId)
                .map(row -> ((Number) io.listsync.server.db.Rows.value(row, "version")).longValue())
                .toList();
        assertThat(logged).hasSize(committed);
        assertThat(logged).isEqualTo(java.util.stream.LongStream.rangeClosed(1, committed).boxed().toList());
    }

    // ---- malformed input ------------------------------------------------------------------------------------

    @Test
    @DisplayName("every write endpoint answers broken JSON, wrong types, missing and oversized fields with 4xx problems")
    void malformedInput() {
        User owner = api.register();
        String listId = api.createList(owner, "Malformed");
        String base = "/api/v1/lists/" + listId;
        String itemId = api.post(base + "/items", owner.token(), json(Map.of("name", "Milk"))).json().get("id")
                .asText();
        String categoryId = api.post(base + "/categories", owner.token(), json(Map.of("name", "C"))).json()
                .get("id").asText();
        String longName = "\"" + "n".repeat(201) + "\"";
        List<String> badNames = List.of("{\"name\": 5}", "{\"name\": [1]}", "{\"name\": {}}", "{\"name\": \"\"}",
                "{\"name\": \"   \"}", "{\"name\": " + longName + "}", "{\"name\": true}");
        Map<String, List<String>> writes = new HashMap<>();
        writes.put("POST /api/v1/auth/register", List.of("{\"email\": 1, \"password\": 2, \"displayName\": 3}",
                "{\"email\": \"a@b.co\", \"password\": \"short\", \"displayName\": \"x\"}",
                "{\"email\": \"a@b.co\", \"password\": \"long-enough\", \"displayName\": " + longName + "}"));
        writes.put("POST /api/v1/auth/login", List.of("{\"email\": 5, \"password\": \"x\"}", "{\"email\": \"a@b.co\"}"));
        writes.put("POST /api/v1/auth/refresh", List.of("{\"refreshToken\": 7}", "{\"refreshToken\": \"\"}"));
        writes.put("POST /api/v1/lists", badNames);
        writes.put("PATCH " + base, badNames);
        writes.put("POST " + base + "/members", List.of("{\"email\": \"x@y.z\", \"role\": \"admin\"}",
                "{\"email\": 5, \"role\": \"editor\"}", "{\"email\": \"x@y.z\", \"role\": \"owner\"}",
                "{\"email\": \"x@y.z\"}"));
        List<String> badItems = new ArrayList<>(badNames);
        badItems.addAll(List.of("{\"name\": \"x\", \"quantity\": \"" + "q".repeat(51) + "\"}",
                "{\"name\": \"x\", \"note\": \"" + "n".repeat(2001) + "\"}", "{\"name\": \"x\", \"quantity\": 2}",
                "{\"name\": \"x\", \"categoryId\": 5}", "{\"name\": \"x\", \"id\": 5}",
                "{\"name\": \"x\", \"id\": \"not-a-uuid\"}",
                "{\"name\": \"x\", \"id\": \"3F2B8C1E-5D4A-4E6F-9A7B-1C2D3E4F5A6B\"}",
                "{\"name\": \"x\", \"id\": \" 3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b\"}",
                "{\"name\": \"x\", \"id\": \"3f2b8c1e5d4a4e6f9a7b1c2d3e4f5a6b\"}"));
        writes.put("POST " + base + "/items", badItems);
        writes.put("PATCH " + base + "/items/" + itemId, List.of("{\"position\": \"x\"}", "{\"position\": 1.5}",
                "{\"position\": -1}", "{\"name\": null}", "{\"name\": \"\"}", "{\"unknown\": 1}",
                "{\"quantity\": \"" + "q".repeat(51) + "\"}"));
        writes.put("POST " + base + "/items/bulk-delete", List.of("{\"itemIds\": [1, 2]}", "{\"checked\": \"yes\"}",
                "{\"itemIds\": \"a\"}", "{\"checked\": false}", "{\"itemIds\": [\"a\"], \"checked\": true}"));
        writes.put("POST " + base + "/categories", List.of("{\"name\": 5}", "{\"name\": \"x\", \"position\": \"x\"}",
                "{\"name\": \"\"}", "{\"name\": \"x\", \"position\": -3}", "{\"name\": \"x\", \"id\": \"abc\"}"));
        writes.put("PATCH " + base + "/categories/" + categoryId, List.of("{\"position\": 1.5}", "{\"name\": \"\"}",
                "{\"name\": null}", "{\"other\": 1}"));
        List<String> everywhere = List.of("{", "not json", "[]", "42", "null", "\"text\"", "{}", "{\"a\": 1} trailing", "");

        long before = version(owner, listId);
        for (var write : writes.entrySet()) {
            String[] methodAndPath = write.getKey().split(" ");
            String token = methodAndPath[1].startsWith("/api/v1/auth") ? null : owner.token();
            List<String> bodies = new ArrayList<>(everywhere);
            bodies.addAll(write.getValue());
            for (String body : bodies) {
                Response r = api.send(methodAndPath[0], methodAndPath[1], token, body);
                assertThat(r.status()).as(write.getKey() + " " + body + " -> " + r).isBetween(400, 499)
                        .isNotIn(401, 404);
                assertThat(r.contentType()).as(write.getKey() + " " + body).startsWith("application/problem+json");
            }
        }
        assertThat(version(owner, listId)).isEqualTo(before);
        assertThat(api.get(base + "/items", owner.token()).json().get("items").get(0).get("name").asText())
                .isEqualTo("Milk");
    }

    @Test
    @DisplayName("a body over 64 KiB is 413; an unknown query value is 400")
    void limits() {
        User owner = api.register();
        String listId = api.createList(owner, "Big");
        String huge = "{\"name\": \"x\", \"note\": \"" + "n".repeat(70_000) + "\"}";
        assertProblem(api.post("/api/v1/lists/" + listId + "/items", owner.token(), huge), 413);
        assertProblem(api.get("/api/v1/lists/" + listId + "/items?includeChecked=maybe", owner.token()), 400,
                "includeChecked");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    void share(User owner, String listId, User member, String role) {
        Response r = api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", member.email(), "role", role)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    long version(User user, String listId) {
        return api.get("/api/v1/lists/" + listId, user.token()).json().get("version").asLong();
    }

    static void assertProblem(Response r, int status, String... detailMentions) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        JsonNode problem = r.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).isNotEmpty();
        assertThat(problem.get("title").asText()).isNotEmpty();
        assertThat(problem.get("detail").asText()).isNotEmpty();
        for (String mention : detailMentions) {
            assertThat(problem.get("detail").asText()).as(r.toString()).contains(mention);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Map<String, Object> mapOf(Object... keyValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static String base64(String text) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes());
    }
}
