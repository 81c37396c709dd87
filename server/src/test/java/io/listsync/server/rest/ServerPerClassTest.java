package io.listsync.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.Response;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.TestDatabases.TestDatabase;
import io.listsync.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real server per test class on the database its subclass names; each test makes its own users and lists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerPerClassTest {

    TestDatabase database;
    TestServer server;
    Api api;

    abstract TestDatabase createDatabase();

    /** Settings on top of the test defaults. */
    Map<String, String> settings() {
        return Map.of();
    }

    @BeforeAll
    void startServer() {
        database = createDatabase();
        Map<String, String> all = new java.util.HashMap<>(database.settings());
        all.putAll(settings());
        server = TestServer.start(all);
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

    void share(User owner, String listId, User member, String role) {
        Response r = api.post("/api/v1/lists/" + listId + "/members", owner.token(),
                json(Map.of("email", member.email(), "role", role)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    JsonNode addItem(User user, String listId, Map<String, ?> body) {
        Response r = api.post("/api/v1/lists/" + listId + "/items", user.token(), json(body));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    JsonNode addItem(User user, String listId, String name) {
        return addItem(user, listId, Map.of("name", name));
    }

    String addCategory(User user, String listId, String name) {
        Response r = api.post("/api/v1/lists/" + listId + "/categories", user.token(), json(Map.of("name", name)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    void deleteItem(User user, String listId, String itemId) {
        assertThat(api.delete("/api/v1/lists/" + listId + "/items/" + itemId, user.token()).status()).isEqualTo(204);
    }

    long version(User user, String listId) {
        return api.get("/api/v1/lists/" + listId, user.token()).json().get("version").asLong();
    }
}
