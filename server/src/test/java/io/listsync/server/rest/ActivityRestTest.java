package io.listsync.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api.Response;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.listsync.server.rest.RestContractTest.assertProblem;
import static io.listsync.server.rest.RestContractTest.fieldNames;
import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 1.1 "Activity": {@code GET /api/v1/lists/{id}/activity?before=&limit=}.
 */
abstract class ActivityRestTest extends ServerPerClassTest {

    private static final Pattern ISO_MILLIS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    private Response activity(User user, String listId, String query) {
        return api.get("/api/v1/lists/" + listId + "/activity" + query, user.token());
    }

    private List<Long> versions(JsonNode page) {
        List<Long> versions = new ArrayList<>();
        page.get("events").forEach(e -> versions.add(e.get("version").asLong()));
        return versions;
    }

    @Test
    @DisplayName("lists every change newest first, each with its actor, and data and ts exactly as the event frame had them")
    void matchesTheEventFrames() {
        User ann = api.register();
        User bob = api.register();
        String listId = api.createList(ann, "History");
        share(ann, listId, bob, "editor");
        String base = "/api/v1/lists/" + listId;
        String milk = addItem(ann, listId, "Milk").get("id").asText();
        String bread = addItem(bob, listId, "Bread").get("id").asText();
        api.post(base + "/items/" + milk + "/check", bob.token(), null);
        api.patch(base + "/items/" + bread, ann.token(), json(Map.of("quantity", "2")));
        api.post(base + "/items/bulk-delete", ann.token(), json(Map.of("checked", true)));
        String dairy = addCategory(bob, listId, "Dairy");
        api.delete(base + "/categories/" + dairy, bob.token());
        api.delete(base + "/items/" + bread, ann.token());
        api.patch(base, bob.token(), json(Map.of("name", "History of shopping")));

        Response r = activity(ann, listId, "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(fieldNames(r.json())).containsExactly("events");
        JsonNode events = r.json().get("events");
        assertThat(versions(r.json())).containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);

        List<JsonNode> frames;
        try (WsClient ws = WsClient.connect(server, listId, "token=" + ann.token() + "&since=0")) {
            assertThat(ws.next().get("type").asText()).isEqualTo("hello");
            frames = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                frames.add(ws.nextEvent());
            }
        }
        for (int i = 0; i < 9; i++) {
            JsonNode event = events.get(8 - i);
            JsonNode frame = frames.get(i);
            assertThat(fieldNames(event)).containsExactly("version", "type", "actor", "ts", "data");
            assertThat(event.get("version")).isEqualTo(frame.get("version"));
            assertThat(event.get("type")).isEqualTo(frame.get("type"));
            assertThat(event.get("ts")).isEqualTo(frame.get("ts"));
            assertThat(event.get("ts").asText()).matches(ISO_MILLIS);
            assertThat(event.get("data")).as("data of %s", frame).isEqualTo(frame.get("data"));
            assertThat(event.at("/actor/id").asText()).isEqualTo(frame.get("actorId").asText());
            assertThat(fieldNames(event.get("actor"))).containsExactly("id", "displayName");
        }
        assertThat(events.get(8).at("/actor/displayName").asText()).isEqualTo("Test " + ann.email());
        assertThat(events.get(6).at("/actor/displayName").asText()).isEqualTo("Test " + bob.email());
        assertThat(events.get(6).get("type").asText()).isEqualTo("item_checked");
        assertThat(events.get(4).at("/data/itemIds/0").asText()).isEqualTo(milk);
        assertThat(events.get(1).at("/data/id").asText()).isEqualTo(bread);
        assertThat(events.get(0).get("type").asText()).isEqualTo("list_updated");
    }

    @Test
    @DisplayName("pages back with before (exclusive) and limit, each version exactly once")
    void paging() {
        User owner = api.register();
        String listId = api.createList(owner, "Pages");
        for (int i = 0; i < 7; i++) {
            addItem(owner, listId, "Item " + i);
        }
        assertThat(versions(activity(owner, listId, "?limit=3").json())).containsExactly(7L, 6L, 5L);
        assertThat(versions(activity(owner, listId, "?limit=3&before=5").json())).containsExactly(4L, 3L, 2L);
        assertThat(versions(activity(owner, listId, "?limit=3&before=2").json())).containsExactly(1L);
        assertThat(versions(activity(owner, listId, "?before=1").json())).isEmpty();
        assertThat(versions(activity(owner, listId, "?before=1000000").json())).hasSize(7);

        List<Long> walked = new ArrayList<>();
        String query = "?limit=2";
        while (true) {
            List<Long> page = versions(activity(owner, listId, query).json());
            if (page.isEmpty()) {
                break;
            }
            walked.addAll(page);
            query = "?limit=2&before=" + page.getLast();
        }
        assertThat(walked).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
    }

    @Test
    @DisplayName("limit is 1 to 100, 50 by default; a before or limit that is not a number in range is 400")
    void parameters() {
        User owner = api.register();
        String listId = api.createList(owner, "Params");
        for (int i = 0; i < 105; i++) {
            addItem(owner, listId, "Item " + i);
        }
        assertThat(activity(owner, listId, "").json().get("events")).hasSize(50);
        assertThat(activity(owner, listId, "?limit=100").json().get("events")).hasSize(100);
        assertThat(activity(owner, listId, "?limit=1").json().get("events")).hasSize(1);
        for (String bad : List.of("0", "101", "-5", "many", "2.5", "")) {
            assertProblem(activity(owner, listId, "?limit=" + bad), 400, "limit");
        }
        for (String bad : List.of("0", "-1", "soon", "1e3", "99999999999999999999")) {
            assertProblem(activity(owner, listId, "?before=" + bad), 400, "before");
        }
    }

    @Test
    @DisplayName("members only: a viewer reads it; a non-member and an unknown list get 404, no token 401")
    void membersOnly() {
        User owner = api.register();
        User viewer = api.register();
        User stranger = api.register();
        String listId = api.createList(owner, "Private");
        share(owner, listId, viewer, "viewer");
        addItem(owner, listId, "Milk");

        assertThat(versions(activity(viewer, listId, "").json())).containsExactly(1L);
        assertProblem(activity(stranger, listId, ""), 404);
        assertProblem(activity(stranger, listId, "?limit=0"), 400, "limit");
        assertProblem(activity(owner, "no-such-list", ""), 404);
        assertProblem(api.get("/api/v1/lists/" + listId + "/activity", null), 401);
    }

    @Test
    @DisplayName("follows the event log's retention: pruned events are gone from the history")
    void retention() {
        User owner = api.register();
        String listId = api.createList(owner, "Short memory");
        for (int i = 0; i < 4; i++) {
            addItem(owner, listId, "Item " + i);
        }
        // what the pruner does to events once they are old enough, done here at once
        server.app().database().read().delete("DELETE FROM list_events WHERE list_id = ? AND version <= 2", listId);
        assertThat(versions(activity(owner, listId, "").json())).containsExactly(4L, 3L);
    }
}
