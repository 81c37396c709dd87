package io.listsync.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.db.Rows;
import io.listsync.server.support.Api.Response;
import io.listsync.server.support.Api.User;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.listsync.server.rest.RestContractTest.assertProblem;
import static io.listsync.server.rest.RestContractTest.fieldNames;
import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 1.1 "Suggestions": {@code GET /api/v1/lists/{id}/suggestions?q=&limit=}.
 */
abstract class SuggestionsRestTest extends ServerPerClassTest {

    private Response suggest(User user, String listId, String query) {
        return api.get("/api/v1/lists/" + listId + "/suggestions" + query, user.token());
    }

    private List<String> names(User user, String listId, String q) {
        Response r = suggest(user, listId, "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        r.json().get("suggestions").forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    @Test
    @DisplayName("suggests names ever added whose words start with q, in any letter case; an empty q gives all")
    void matchesTheStartOfAnyWord() {
        User owner = api.register();
        String listId = api.createList(owner, "Words");
        for (String name : List.of("Milk", "Oat milk", "Almond-Milk", "Buttermilk", "Bread", "Tea (milky)")) {
            addItem(owner, listId, name);
        }

        assertThat(names(owner, listId, "mil")).containsExactlyInAnyOrder("Milk", "Oat milk", "Almond-Milk",
                "Tea (milky)");
        assertThat(names(owner, listId, "MIL")).containsExactlyInAnyOrderElementsOf(names(owner, listId, "mil"));
        assertThat(names(owner, listId, "oat m")).containsExactly("Oat milk");
        assertThat(names(owner, listId, "  bre ")).containsExactly("Bread");
        assertThat(names(owner, listId, "ilk")).isEmpty();
        assertThat(names(owner, listId, "")).hasSize(6);
        assertThat(names(owner, listId, "x")).isEmpty();
    }

    @Test
    @DisplayName("answers name, quantity and category of the last add, how often, when, and onList, in that shape")
    void shapeAndLastAdd() {
        User owner = api.register();
        String listId = api.createList(owner, "Shape");
        String dairy = addCategory(owner, listId, "Dairy");
        String first = addItem(owner, listId, Map.of("name", "milk", "quantity", "1 l")).get("id").asText();
        deleteItem(owner, listId, first);
        JsonNode second = addItem(owner, listId, Map.of("name", "Milk", "quantity", "2 l", "categoryId", dairy));

        Response r = suggest(owner, listId, "?q=mi");
        assertThat(r.status()).isEqualTo(200);
        assertThat(fieldNames(r.json())).containsExactly("suggestions");
        JsonNode milk = r.json().get("suggestions").get(0);
        assertThat(fieldNames(milk)).containsExactly("name", "quantity", "categoryId", "timesAdded", "lastAddedAt",
                "onList");
        assertThat(milk.get("name").asText()).isEqualTo("Milk");
        assertThat(milk.get("quantity").asText()).isEqualTo("2 l");
        assertThat(milk.get("categoryId").asText()).isEqualTo(dairy);
        assertThat(milk.get("timesAdded").asInt()).isEqualTo(2);
        assertThat(milk.get("lastAddedAt").asText()).isEqualTo(second.get("createdAt").asText());
        assertThat(milk.get("onList").get("itemId").asText()).isEqualTo(second.get("id").asText());
        assertThat(milk.get("onList").get("checked").asBoolean()).isFalse();
        assertThat(fieldNames(milk.get("onList"))).containsExactly("itemId", "checked");
    }

    @Test
    @DisplayName("onList is null when no item of that name is on the list, and says so, checked or not, when one is")
    void onList() {
        User owner = api.register();
        String listId = api.createList(owner, "On list");
        String eggs = addItem(owner, listId, "Eggs").get("id").asText();
        String salt = addItem(owner, listId, "salt").get("id").asText();
        deleteItem(owner, listId, salt);
        String base = "/api/v1/lists/" + listId + "/items/";

        assertThat(onList(owner, listId, "salt").isNull()).isTrue();
        assertThat(onList(owner, listId, "eggs").get("checked").asBoolean()).isFalse();

        api.post(base + eggs + "/check", owner.token(), null);
        JsonNode checked = onList(owner, listId, "eggs");
        assertThat(checked.get("itemId").asText()).isEqualTo(eggs);
        assertThat(checked.get("checked").asBoolean()).isTrue();

        // another item of the same name in other letters, unchecked: that one is the one on the list
        String again = addItem(owner, listId, "EGGS").get("id").asText();
        assertThat(onList(owner, listId, "eggs").get("itemId").asText()).isEqualTo(again);
        assertThat(onList(owner, listId, "eggs").get("checked").asBoolean()).isFalse();
    }

    private JsonNode onList(User user, String listId, String q) {
        JsonNode suggestions = suggest(user, listId, "?q=" + q).json().get("suggestions");
        assertThat(suggestions).hasSize(1);
        return suggestions.get(0).get("onList");
    }

    @Test
    @DisplayName("survives deleting the items, clearing checked and pruning their events")
    void survivesDeletionAndPruning() {
        User owner = api.register();
        String listId = api.createList(owner, "Kept");
        String jam = addItem(owner, listId, "Jam").get("id").asText();
        String honey = addItem(owner, listId, "Honey").get("id").asText();
        deleteItem(owner, listId, jam);
        api.post("/api/v1/lists/" + listId + "/items/" + honey + "/check", owner.token(), null);
        api.post("/api/v1/lists/" + listId + "/items/bulk-delete", owner.token(), json(Map.of("checked", true)));
        // what the pruner does to events once they are old enough, done here at once
        server.app().database().read().delete("DELETE FROM list_events WHERE list_id = ?", listId);

        assertThat(api.get("/api/v1/lists/" + listId + "/items", owner.token()).json().get("items")).isEmpty();
        assertThat(names(owner, listId, "")).containsExactlyInAnyOrder("Jam", "Honey");
    }

    @Test
    @DisplayName("ranks by how often and how recently: more adds first, then the newer; a long-unused name sinks")
    void ranking() {
        User owner = api.register();
        String listId = api.createList(owner, "Rank");
        for (int i = 0; i < 3; i++) {
            deleteItem(owner, listId, addItem(owner, listId, "Apples").get("id").asText());
        }
        addItem(owner, listId, "Asparagus");
        addItem(owner, listId, "Apricots");
        assertThat(names(owner, listId, "a")).containsExactly("Apples", "Apricots", "Asparagus");

        // Avocado was bought 4 times, but last 120 days ago: 4 halvings later it weighs 0.25, below a single recent add
        for (int i = 0; i < 4; i++) {
            deleteItem(owner, listId, addItem(owner, listId, "Avocado").get("id").asText());
        }
        assertThat(names(owner, listId, "a").getFirst()).isEqualTo("Avocado");
        server.app().database().read().update("UPDATE item_names SET last_added_at = ? WHERE list_id = ? "
                + "AND name_key = 'avocado'", Rows.param(Rows.now().minus(Duration.ofDays(120))), listId);
        assertThat(names(owner, listId, "a")).containsExactly("Apples", "Apricots", "Asparagus", "Avocado");
    }

    @Test
    @DisplayName("categoryId is null when the category of the last add is gone, and the category's again when restored")
    void categoryGone() {
        User owner = api.register();
        String listId = api.createList(owner, "Gone");
        String frozen = addCategory(owner, listId, "Frozen");
        addItem(owner, listId, Map.of("name", "Peas", "categoryId", frozen));
        assertThat(api.delete("/api/v1/lists/" + listId + "/categories/" + frozen, owner.token()).status())
                .isEqualTo(204);

        JsonNode peas = suggest(owner, listId, "?q=peas").json().get("suggestions").get(0);
        assertThat(peas.get("categoryId").isNull()).isTrue();
        assertThat(peas.get("quantity").isNull()).isTrue();
    }

    @Test
    @DisplayName("a rename teaches the new name; a failed create teaches nothing")
    void renameAndFailedCreate() {
        User owner = api.register();
        String listId = api.createList(owner, "Typos");
        String item = addItem(owner, listId, "Tomatos").get("id").asText();
        api.patch("/api/v1/lists/" + listId + "/items/" + item, owner.token(), json(Map.of("name", "Tomatoes")));
        assertThat(names(owner, listId, "tom")).containsExactlyInAnyOrder("Tomatoes", "Tomatos");
        JsonNode tomatoes = suggest(owner, listId, "?q=tomatoes").json().get("suggestions").get(0);
        assertThat(tomatoes.get("onList").get("itemId").asText()).isEqualTo(item);

        Response refused = api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                json(Map.of("name", "Ghost", "categoryId", "no-such-category")));
        assertThat(refused.status()).isBetween(400, 404);
        assertThat(names(owner, listId, "ghost")).isEmpty();
    }

    @Test
    @DisplayName("treats %, _ and \\ in q as plain characters")
    void likeWildcardsAreLiteral() {
        User owner = api.register();
        String listId = api.createList(owner, "Wild");
        for (String name : List.of("50% cream", "5_0 mix", "a\\b", "Bread")) {
            addItem(owner, listId, name);
        }
        assertThat(names(owner, listId, "50%")).containsExactly("50% cream");
        assertThat(names(owner, listId, "%")).isEmpty();
        assertThat(names(owner, listId, "_")).isEmpty();
        assertThat(names(owner, listId, "5_")).containsExactly("5_0 mix");
        assertThat(names(owner, listId, "a\\")).containsExactly("a\\b");
    }

    @Test
    @DisplayName("limit is 1 to 50, 10 by default; anything else, and a q over 200 characters, is 400")
    void limits() {
        User owner = api.register();
        String listId = api.createList(owner, "Many");
        for (int i = 0; i < 55; i++) {
            addItem(owner, listId, "Item " + i);
        }
        assertThat(suggest(owner, listId, "").json().get("suggestions")).hasSize(10);
        assertThat(suggest(owner, listId, "?limit=1").json().get("suggestions")).hasSize(1);
        assertThat(suggest(owner, listId, "?q=item&limit=50").json().get("suggestions")).hasSize(50);
        for (String bad : List.of("0", "51", "-1", "ten", "1.5", "")) {
            assertProblem(suggest(owner, listId, "?limit=" + bad), 400, "limit");
        }
        assertProblem(suggest(owner, listId, "?q=" + "x".repeat(201)), 400, "q");
    }

    @Test
    @DisplayName("members only: viewers read them; non-members and unknown lists get 404, no token 401")
    void membersOnly() {
        User owner = api.register();
        User viewer = api.register();
        User stranger = api.register();
        String listId = api.createList(owner, "Private");
        share(owner, listId, viewer, "viewer");
        addItem(owner, listId, "Secret sauce");

        assertThat(names(viewer, listId, "sec")).containsExactly("Secret sauce");
        assertProblem(suggest(stranger, listId, "?q=sec"), 404);
        assertProblem(suggest(owner, "no-such-list", ""), 404);
        assertProblem(api.get("/api/v1/lists/" + listId + "/suggestions", null), 401);
    }

    @Test
    @DisplayName("suggestions of one list never show on another")
    void perList() {
        User owner = api.register();
        String a = api.createList(owner, "A");
        String b = api.createList(owner, "B");
        addItem(owner, a, "Only in A");
        assertThat(names(owner, b, "")).isEmpty();
    }
}
