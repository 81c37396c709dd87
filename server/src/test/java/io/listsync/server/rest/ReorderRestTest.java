package io.listsync.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api.User;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What drag-and-drop reordering relies on: new items and categories are placed with gaps, so a move between two
 * neighbours is one PATCH, one version and one event, and no other item's position changes.
 */
abstract class ReorderRestTest extends ServerPerClassTest {

    private static final int GAP = 1024;
    private static final int FIRST = 1 << 20;

    private Map<String, Integer> positions(User user, String listId) {
        Map<String, Integer> positions = new HashMap<>();
        api.get("/api/v1/lists/" + listId + "/items", user.token()).json().get("items")
                .forEach(i -> positions.put(i.get("name").asText(), i.get("position").asInt()));
        return positions;
    }

    @Test
    @DisplayName("new items go to the end of their category 1024 apart, the first at 2^20; categories likewise")
    void gaps() {
        User owner = api.register();
        String listId = api.createList(owner, "Gaps");
        JsonNode a = addItem(owner, listId, "A");
        JsonNode b = addItem(owner, listId, "B");
        assertThat(a.get("position").asInt()).isEqualTo(FIRST);
        assertThat(b.get("position").asInt() - a.get("position").asInt()).isEqualTo(GAP);
        String dairy = addCategory(owner, listId, "Dairy");
        String bakery = addCategory(owner, listId, "Bakery");
        JsonNode categories = api.get("/api/v1/lists/" + listId + "/categories", owner.token()).json()
                .get("categories");
        assertThat(categories.get(1).get("position").asInt() - categories.get(0).get("position").asInt())
                .isEqualTo(GAP);
        assertThat(categories.get(0).get("id").asText()).isEqualTo(dairy);
        assertThat(categories.get(1).get("id").asText()).isEqualTo(bakery);
        assertThat(categories.get(0).get("position").asInt()).isEqualTo(FIRST);
        // each category's items start again at the first position, with room for moves to the top below it
        assertThat(addItem(owner, listId, Map.of("name", "Milk", "categoryId", dairy)).get("position").asInt())
                .isEqualTo(FIRST);
    }

    @Test
    @DisplayName("a move to the midpoint of two neighbours is one version and one event, and no other item moves")
    void midpointMove() {
        User owner = api.register();
        String listId = api.createList(owner, "Moves");
        for (String name : List.of("A", "B", "C", "D")) {
            addItem(owner, listId, name);
        }
        Map<String, Integer> before = positions(owner, listId);
        String d = api.get("/api/v1/lists/" + listId + "/items", owner.token()).json().get("items").get(3).get("id")
                .asText();
        long version = version(owner, listId);

        int between = (before.get("A") + before.get("B")) / 2;
        JsonNode moved = api.patch("/api/v1/lists/" + listId + "/items/" + d, owner.token(),
                json(Map.of("position", between))).json();
        assertThat(moved.get("position").asInt()).isEqualTo(between);
        assertThat(version(owner, listId)).isEqualTo(version + 1);
        Map<String, Integer> after = positions(owner, listId);
        assertThat(after).containsEntry("A", before.get("A")).containsEntry("B", before.get("B"))
                .containsEntry("C", before.get("C")).containsEntry("D", between);
        List<String> order = api.get("/api/v1/lists/" + listId + "/items", owner.token()).json().get("items")
                .findValuesAsText("name");
        assertThat(order).containsExactly("A", "D", "B", "C");
        assertThat(api.get("/api/v1/lists/" + listId + "/activity?limit=1", owner.token()).json()
                .at("/events/0/type").asText()).isEqualTo("item_updated");
    }

    @Test
    @DisplayName("a move to the top of a category is one write too: there is room below the first item")
    void moveToTop() {
        User owner = api.register();
        String listId = api.createList(owner, "Top");
        JsonNode a = addItem(owner, listId, "A");
        addItem(owner, listId, "B");
        JsonNode c = addItem(owner, listId, "C");
        long version = version(owner, listId);
        api.patch("/api/v1/lists/" + listId + "/items/" + c.get("id").asText(), owner.token(),
                json(Map.of("position", a.get("position").asInt() - GAP)));
        assertThat(version(owner, listId)).isEqualTo(version + 1);
        assertThat(api.get("/api/v1/lists/" + listId + "/items", owner.token()).json().get("items")
                .findValuesAsText("name")).containsExactly("C", "A", "B");
    }

    @Test
    @DisplayName("moving into another category at a chosen position is one PATCH of categoryId and position")
    void moveAcrossCategories() {
        User owner = api.register();
        String listId = api.createList(owner, "Across");
        String dairy = addCategory(owner, listId, "Dairy");
        JsonNode milk = addItem(owner, listId, Map.of("name", "Milk", "categoryId", dairy));
        JsonNode cheese = addItem(owner, listId, Map.of("name", "Cheese", "categoryId", dairy));
        JsonNode butter = addItem(owner, listId, "Butter");
        long version = version(owner, listId);

        int between = (milk.get("position").asInt() + cheese.get("position").asInt()) / 2;
        JsonNode moved = api.patch("/api/v1/lists/" + listId + "/items/" + butter.get("id").asText(), owner.token(),
                json(Map.of("categoryId", dairy, "position", between))).json();
        assertThat(moved.get("categoryId").asText()).isEqualTo(dairy);
        assertThat(moved.get("position").asInt()).isEqualTo(between);
        assertThat(version(owner, listId)).isEqualTo(version + 1);
        assertThat(positions(owner, listId)).containsEntry("Milk", milk.get("position").asInt())
                .containsEntry("Cheese", cheese.get("position").asInt());
    }
}
