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

import java.util.Map;
import java.util.UUID;

import static io.listsync.server.rest.RestContractTest.assertProblem;
import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 1.1 "Client-chosen ids" and "Concurrent and offline writes: what wins", on each database (one subclass
 * per database): what lets a phone create, edit, check and delete while offline and replay it all later.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OfflineWritesContractTest {

    private TestDatabase database;
    private TestServer server;
    private Api api;

    abstract TestDatabase createDatabase();

    @BeforeAll
    void start() {
        database = createDatabase();
        server = TestServer.start(database.settings());
        api = server.api();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    // ---- client-chosen ids ----------------------------------------------------------------------------------

    @Test
    @DisplayName("an item created with the client's id has it, and can then be edited, checked and deleted by it")
    void itemWithClientId() {
        User owner = api.register();
        String listId = api.createList(owner, "Offline");
        String base = "/api/v1/lists/" + listId + "/items";
        String id = UUID.randomUUID().toString();

        Response created = api.post(base, owner.token(), json(Map.of("id", id, "name", "Milk")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("id").asText()).isEqualTo(id);
        assertThat(api.patch(base + "/" + id, owner.token(), json(Map.of("quantity", "2 l"))).json()
                .get("quantity").asText()).isEqualTo("2 l");
        assertThat(api.post(base + "/" + id + "/check", owner.token(), null).json().get("checked").asBoolean()).isTrue();
        assertThat(api.delete(base + "/" + id, owner.token()).status()).isEqualTo(204);
        assertThat(version(owner, listId)).isEqualTo(4);
    }

    @Test
    @DisplayName("a category created with the client's id has it, and an item can be put into it by that id")
    void categoryWithClientId() {
        User owner = api.register();
        String listId = api.createList(owner, "Aisles");
        String categoryId = UUID.randomUUID().toString();
        Response category = api.post("/api/v1/lists/" + listId + "/categories", owner.token(),
                json(Map.of("id", categoryId, "name", "Dairy")));
        assertThat(category.status()).isEqualTo(201);
        assertThat(category.json().get("id").asText()).isEqualTo(categoryId);
        Response item = api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                json(Map.of("name", "Butter", "categoryId", categoryId)));
        assertThat(item.json().get("categoryId").asText()).isEqualTo(categoryId);
    }

    @Test
    @DisplayName("an id that is not a canonical lower-case UUID is 400 naming 'id'")
    void nonCanonicalIds() {
        User owner = api.register();
        String listId = api.createList(owner, "Ids");
        String upper = UUID.randomUUID().toString().toUpperCase();
        for (String path : new String[] {"/items", "/categories"}) {
            for (Object id : new Object[] {upper, "not-a-uuid", "{" + UUID.randomUUID() + "}", 42, ""}) {
                assertProblem(api.post("/api/v1/lists/" + listId + path, owner.token(),
                        json(Map.of("id", id, "name", "x"))), 400, "'id'");
            }
        }
        assertThat(version(owner, listId)).isZero();
    }

    @Test
    @DisplayName("an id that belongs to an existing item or category, of this list or another, is 409")
    void idsInUse() {
        User owner = api.register();
        User stranger = api.register();
        String listId = api.createList(owner, "Mine");
        String otherList = api.createList(stranger, "Theirs");
        String itemId = UUID.randomUUID().toString();
        String categoryId = UUID.randomUUID().toString();
        api.post("/api/v1/lists/" + otherList + "/items", stranger.token(), json(Map.of("id", itemId, "name", "x")));
        api.post("/api/v1/lists/" + listId + "/categories", owner.token(), json(Map.of("id", categoryId, "name", "C")));

        assertProblem(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                json(Map.of("id", itemId, "name", "Mine"))), 409, "id");
        assertProblem(api.post("/api/v1/lists/" + listId + "/categories", owner.token(),
                json(Map.of("id", categoryId, "name", "Again"))), 409, "id");
        String mine = UUID.randomUUID().toString();
        api.post("/api/v1/lists/" + listId + "/items", owner.token(), json(Map.of("id", mine, "name", "Once")));
        assertProblem(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                json(Map.of("id", mine, "name", "Twice"))), 409, "id");
        assertThat(version(owner, listId)).isEqualTo(2);
    }

    @Test
    @DisplayName("the id of a deleted item can be used again: undoing a delete re-creates the item as it was")
    void undoDelete() {
        User owner = api.register();
        String listId = api.createList(owner, "Undo");
        String base = "/api/v1/lists/" + listId + "/items";
        String id = UUID.randomUUID().toString();
        api.post(base, owner.token(), json(Map.of("id", id, "name", "Eggs", "quantity", "12")));
        assertThat(api.delete(base + "/" + id, owner.token()).status()).isEqualTo(204);

        Response again = api.post(base, owner.token(), json(Map.of("id", id, "name", "Eggs", "quantity", "12")));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("id").asText()).isEqualTo(id);
        assertThat(api.get(base, owner.token()).json().get("items")).hasSize(1);
    }

    // ---- what wins ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("PATCH changes only the fields it names: two edits of different fields both survive; "
            + "for the same field the last one wins")
    void fieldLevelPatch() {
        User owner = api.register();
        Shared shared = share(owner, "Both");
        User friend = shared.friend();
        String listId = shared.listId();
        String item = "/api/v1/lists/" + listId + "/items/" + api.post("/api/v1/lists/" + listId + "/items",
                owner.token(), json(Map.of("name", "Coffee"))).json().get("id").asText();

        api.patch(item, owner.token(), json(Map.of("quantity", "500 g")));
        api.patch(item, friend.token(), json(Map.of("note", "decaf")));
        api.patch(item, owner.token(), json(Map.of("name", "Ground coffee")));
        api.patch(item, friend.token(), json(Map.of("name", "Coffee beans")));

        JsonNode now = api.get("/api/v1/lists/" + listId + "/items", owner.token()).json().get("items").get(0);
        assertThat(now.get("quantity").asText()).isEqualTo("500 g");
        assertThat(now.get("note").asText()).isEqualTo("decaf");
        assertThat(now.get("name").asText()).isEqualTo("Coffee beans");
    }

    @Test
    @DisplayName("check and uncheck set an absolute state: repeating either changes nothing more")
    void absoluteCheck() {
        User owner = api.register();
        String listId = api.createList(owner, "Absolute");
        String item = "/api/v1/lists/" + listId + "/items/" + api.post("/api/v1/lists/" + listId + "/items",
                owner.token(), json(Map.of("name", "Tea"))).json().get("id").asText();

        for (int i = 0; i < 3; i++) {
            assertThat(api.post(item + "/check", owner.token(), null).json().get("checked").asBoolean()).isTrue();
        }
        assertThat(version(owner, listId)).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            Response unchecked = api.post(item + "/uncheck", owner.token(), null);
            assertThat(unchecked.json().get("checked").asBoolean()).isFalse();
            assertThat(unchecked.json().get("checkedAt").isNull()).isTrue();
        }
        assertThat(version(owner, listId)).isEqualTo(3);
    }

    @Test
    @DisplayName("a write to an item or category that was deleted meanwhile is 404 and changes nothing")
    void writesToDeletedThings() {
        User owner = api.register();
        Shared shared = share(owner, "Gone");
        User friend = shared.friend();
        String listId = shared.listId();
        String base = "/api/v1/lists/" + listId;
        String itemId = api.post(base + "/items", owner.token(), json(Map.of("name", "Jam"))).json().get("id").asText();
        String categoryId = api.post(base + "/categories", owner.token(), json(Map.of("name", "Sweet"))).json()
                .get("id").asText();
        api.delete(base + "/items/" + itemId, owner.token());
        api.delete(base + "/categories/" + categoryId, owner.token());
        long version = version(owner, listId);

        assertProblem(api.patch(base + "/items/" + itemId, friend.token(), json(Map.of("name", "Marmalade"))), 404);
        assertProblem(api.post(base + "/items/" + itemId + "/check", friend.token(), null), 404);
        assertProblem(api.post(base + "/items/" + itemId + "/uncheck", friend.token(), null), 404);
        assertProblem(api.delete(base + "/items/" + itemId, friend.token()), 404);
        assertProblem(api.patch(base + "/categories/" + categoryId, friend.token(), json(Map.of("name", "S"))), 404);
        assertProblem(api.delete(base + "/categories/" + categoryId, friend.token()), 404);
        assertThat(version(owner, listId)).isEqualTo(version);
    }

    @Test
    @DisplayName("a create (or a move) into a category that was deleted meanwhile is 404 with detail naming categoryId")
    void intoADeletedCategory() {
        User owner = api.register();
        Shared shared = share(owner, "Moved");
        User friend = shared.friend();
        String listId = shared.listId();
        String base = "/api/v1/lists/" + listId;
        String categoryId = api.post(base + "/categories", owner.token(), json(Map.of("name", "Frozen"))).json()
                .get("id").asText();
        String itemId = api.post(base + "/items", owner.token(), json(Map.of("name", "Peas"))).json().get("id").asText();
        api.delete(base + "/categories/" + categoryId, owner.token());
        long version = version(owner, listId);

        assertProblem(api.post(base + "/items", friend.token(), json(Map.of("name", "Ice", "categoryId", categoryId))),
                404, "categoryId");
        assertProblem(api.patch(base + "/items/" + itemId, friend.token(), json(Map.of("categoryId", categoryId))),
                404, "categoryId");
        assertThat(version(owner, listId)).isEqualTo(version);
        assertThat(api.get(base + "/items", owner.token()).json().get("items")).hasSize(1);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private record Shared(String listId, User friend) {
    }

    /** A new list of {@code owner}'s, shared with a new editor. */
    private Shared share(User owner, String name) {
        User friend = api.register();
        String listId = api.createList(owner, name);
        assertThat(api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", friend.email(), "role", "editor"))).status()).isEqualTo(201);
        return new Shared(listId, friend);
    }

    private long version(User user, String listId) {
        return api.get("/api/v1/lists/" + listId, user.token()).json().get("version").asLong();
    }
}
