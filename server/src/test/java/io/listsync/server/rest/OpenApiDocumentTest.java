package io.listsync.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestDatabases.TestDatabase;
import io.listsync.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document served at {@code /openapi} (the static {@code META-INF/openapi.yaml}) against the
 * contract's REST tables, hard-coded below: every row must be documented, with its success status, its request
 * body and its answer; and nothing else may be, apart from the WebSocket upgrade.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The OpenAPI document at /openapi")
class OpenApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");
    private static final String WEBSOCKET_PATH = "/api/v1/ws/lists/{id}";

    /**
     * One row of the contract's REST tables.
     *
     * @param method   the HTTP method
     * @param path     the path as the contract writes it
     * @param status   the success status
     * @param body     the request body's schema name, or {@code null} when the call takes no body
     * @param required the fields that body requires
     * @param answer   the success answer's schema name, {@code Name[]} for an array of them, {@code null} for none
     */
    record Row(String method, String path, int status, String body, List<String> required, String answer) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static Row row(String method, String path, int status, String answer) {
        return new Row(method, path, status, null, List.of(), answer);
    }

    private static Row row(String method, String path, int status, String body, List<String> required,
                           String answer) {
        return new Row(method, path, status, body, required, answer);
    }

    /** The contract's REST tables (Auth; Lists and sharing; Items and categories), row by row. */
    static final List<Row> CONTRACT = List.of(
            // Auth
            row("POST", "/api/v1/auth/register", 201, "RegisterRequest", List.of("email", "password", "displayName"),
                    "Session"),
            row("POST", "/api/v1/auth/login", 200, "LoginRequest", List.of("email", "password"), "Session"),
            row("POST", "/api/v1/auth/refresh", 200, "RefreshRequest", List.of("refreshToken"), "Session"),
            row("GET", "/api/v1/me", 200, "User"),
            // Lists and sharing
            row("GET", "/api/v1/lists", 200, "List[]"),
            row("POST", "/api/v1/lists", 201, "ListNameRequest", List.of("name"), "List"),
            row("GET", "/api/v1/lists/{id}", 200, "List"),
            row("PATCH", "/api/v1/lists/{id}", 200, "ListNameRequest", List.of("name"), "List"),
            row("DELETE", "/api/v1/lists/{id}", 204, null),
            row("GET", "/api/v1/lists/{id}/members", 200, "Member[]"),
            row("POST", "/api/v1/lists/{id}/members", 201, "AddMemberRequest", List.of("email", "role"), "Member"),
            row("PATCH", "/api/v1/lists/{id}/members/{userId}", 200, "ChangeRoleRequest", List.of("role"), "Member"),
            row("DELETE", "/api/v1/lists/{id}/members/{userId}", 204, null),
            // Items and categories
            row("GET", "/api/v1/lists/{id}/items", 200, "ItemsPage"),
            row("POST", "/api/v1/lists/{id}/items", 201, "NewItem", List.of("name"), "Item"),
            row("PATCH", "/api/v1/lists/{id}/items/{itemId}", 200, "ItemPatch", List.of(), "Item"),
            row("DELETE", "/api/v1/lists/{id}/items/{itemId}", 204, null),
            row("POST", "/api/v1/lists/{id}/items/{itemId}/check", 200, "Item"),
            row("POST", "/api/v1/lists/{id}/items/{itemId}/uncheck", 200, "Item"),
            row("POST", "/api/v1/lists/{id}/items/bulk-delete", 200, "BulkDeleteRequest", List.of(), "DeletedIds"),
            row("GET", "/api/v1/lists/{id}/categories", 200, "CategoriesPage"),
            row("POST", "/api/v1/lists/{id}/categories", 201, "NewCategory", List.of("name"), "Category"),
            row("PATCH", "/api/v1/lists/{id}/categories/{categoryId}", 200, "CategoryPatch", List.of(), "Category"),
            row("DELETE", "/api/v1/lists/{id}/categories/{categoryId}", 204, null));

    /** The calls that need no access token. */
    static final Set<String> PUBLIC = Set.of("POST /api/v1/auth/register", "POST /api/v1/auth/login",
            "POST /api/v1/auth/refresh", "POST /api/v1/auth/logout");

    private TestDatabase database;
    private TestServer server;
    private JsonNode document;

    @BeforeAll
    void fetchDocument() throws IOException, InterruptedException {
        database = TestDatabases.h2();
        server = TestServer.start(database.settings());
        HttpResponse<String> response = get("/openapi", "application/json");
        assertThat(response.statusCode()).as("GET /openapi: %s", response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse(""))
                .as("GET /openapi must be the OpenAPI feature's JSON, not the web app's page fallback: %s",
                        response.body())
                .startsWith("application/json");
        document = JSON.readTree(response.body());
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

    static Stream<Row> contract() {
        return CONTRACT.stream();
    }

    /** The contract's writes under /api/v1/lists: every one takes an Idempotency-Key. */
    static Stream<Row> writes() {
        return CONTRACT.stream().filter(row -> !row.method().equals("GET") && row.path().startsWith("/api/v1/lists"));
    }

    // ---- the document ---------------------------------------------------------------------------------------

    @Test
    @DisplayName("is served as JSON, an OpenAPI 3.0 document of ListSync 0.1.0 that describes the WebSocket")
    void servedAsJson() {
        assertThat(document.path("openapi").asText()).startsWith("3.0.");
        assertThat(document.at("/info/title").asText()).isEqualTo("ListSync");
        assertThat(document.at("/info/version").asText()).isEqualTo("0.1.0");
        assertThat(document.at("/info/description").asText())
                .contains("/api/v1/ws/lists/{id}?token=")
                .contains("4401", "4403", "4404", "4408", "1001", "1003", "1008", "1009")
                .contains("hello", "resync", "ping", "pong", "since");
    }

    @Test
    @DisplayName("is served as YAML by default")
    void servedAsYaml() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/openapi", "*/*");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("openapi: 3.0.").contains("/api/v1/lists/{id}/items/bulk-delete");
    }

    // ---- every contract row ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} is documented with its success status")
    @MethodSource("contract")
    @DisplayName("documents every call of the contract's REST tables with its success status")
    void documentsEveryContractCall(Row row) {
        JsonNode operation = operation(row);
        assertThat(operation.isObject()).as("%s is in the document", row).isTrue();

        JsonNode responses = operation.path("responses");
        assertThat(responses.has(String.valueOf(row.status())))
                .as("%s declares its success status %d (declared: %s)", row, row.status(), names(responses))
                .isTrue();
        List<String> otherSuccesses = names(responses).stream()
                .filter(code -> code.startsWith("2") && !code.equals(String.valueOf(row.status()))).toList();
        assertThat(otherSuccesses).as("%s declares no other success status", row).isEmpty();
    }

    @ParameterizedTest(name = "{0} answers as the contract says")
    @MethodSource("contract")
    @DisplayName("documents the answer of every call")
    void documentsAnswers(Row row) {
        JsonNode success = resolve(operation(row).path("responses").path(String.valueOf(row.status())));
        if (row.answer() == null) {
            assertThat(success.has("content")).as("%s answers without a body", row).isFalse();
            return;
        }
        JsonNode schema = success.at("/content/application~1json/schema");
        assertThat(schema.isObject()).as("%s answers application/json", row).isTrue();
        if (row.answer().endsWith("[]")) {
            assertThat(schema.path("type").asText()).as("%s answers an array", row).isEqualTo("array");
            assertThat(schema.at("/items/$ref").asText())
                    .isEqualTo(schemaRef(row.answer().substring(0, row.answer().length() - 2)));
        } else {
            assertThat(schema.path("$ref").asText()).as("%s answer", row).isEqualTo(schemaRef(row.answer()));
        }
    }

    @ParameterizedTest(name = "{0} takes the body the contract says")
    @MethodSource("contract")
    @DisplayName("documents the request body of every call that takes one, with its required fields")
    void documentsRequestBodies(Row row) {
        JsonNode requestBody = resolve(operation(row).path("requestBody"));
        if (row.body() == null) {
            assertThat(requestBody.isMissingNode()).as("%s takes no body", row).isTrue();
            return;
        }
        assertThat(requestBody.path("required").asBoolean()).as("%s requires its body", row).isTrue();
        JsonNode schema = requestBody.at("/content/application~1json/schema");
        assertThat(schema.path("$ref").asText()).as("%s body", row).isEqualTo(schemaRef(row.body()));
        List<String> required = new ArrayList<>();
        resolve(schema).path("required").forEach(field -> required.add(field.asText()));
        assertThat(required).as("%s body's required fields", row).containsExactlyInAnyOrderElementsOf(row.required());
    }

    @ParameterizedTest(name = "{0} declares its problem answers")
    @MethodSource("contract")
    @DisplayName("documents the problem answers of every call as application/problem+json")
    void documentsProblems(Row row) {
        JsonNode responses = operation(row).path("responses");
        Set<String> expected = new TreeSet<>();
        if (!PUBLIC.contains(row.toString())) {
            expected.add("401");
        }
        if (row.path().startsWith("/api/v1/lists/{id}")) {
            expected.add("404");
        }
        if (row.body() != null) {
            expected.addAll(List.of("400", "413"));
        }
        if (PUBLIC.contains(row.toString())) {
            expected.add("429");
        }
        if (!row.method().equals("GET") && row.path().startsWith("/api/v1/lists/{id}")) {
            expected.add("403");
        }
        assertThat(names(responses)).as("%s problem answers", row).containsAll(expected);

        names(responses).stream().filter(code -> code.startsWith("4")).forEach(code ->
                assertThat(resolve(responses.path(code)).at("/content/application~1problem+json/schema/$ref").asText())
                        .as("%s %s is a Problem", row, code)
                        .isEqualTo(schemaRef("Problem")));
    }

    @Test
    @DisplayName("documents no REST call that the contract does not list")
    void nothingBeyondTheContract() {
        Set<String> documented = new LinkedHashSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (HTTP_METHODS.contains(op.getKey())) {
                documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        documented.remove("GET " + WEBSOCKET_PATH);
        // compatible extensions of the contract, documented in the README
        documented.remove("POST /api/v1/auth/logout");

        assertThat(documented).containsExactlyInAnyOrderElementsOf(CONTRACT.stream().map(Row::toString).toList());
    }

    @Test
    @DisplayName("requires the bearer token on every call but register, login and refresh")
    void bearerEverywhereButSessionCalls() {
        assertThat(document.at("/components/securitySchemes/bearerAuth/type").asText()).isEqualTo("http");
        assertThat(document.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/components/securitySchemes/bearerAuth/bearerFormat").asText()).isEqualTo("JWT");
        assertThat(document.path("security").toString()).isEqualTo("[{\"bearerAuth\":[]}]");

        for (Row row : CONTRACT) {
            JsonNode security = operation(row).path("security");
            if (PUBLIC.contains(row.toString())) {
                assertThat(security.toString()).as("%s needs no token", row).isEqualTo("[]");
            } else {
                assertThat(security.isMissingNode()).as("%s uses the document's bearer security", row).isTrue();
            }
        }
    }

    // ---- details the contract fixes -------------------------------------------------------------------------

    @Test
    @DisplayName("gives the limits of the contract: names 1 to 200, quantity up to 50, note up to 2000, password at least 8")
    void limits() {
        for (String schema : List.of("ListNameRequest", "NewItem", "ItemPatch", "NewCategory", "CategoryPatch",
                "Item", "Category", "List")) {
            assertThat(property(schema, "name").path("minLength").asInt()).as("%s.name", schema).isEqualTo(1);
            assertThat(property(schema, "name").path("maxLength").asInt()).as("%s.name", schema).isEqualTo(200);
        }
        for (String schema : List.of("NewItem", "ItemPatch", "Item")) {
            assertThat(property(schema, "quantity").path("maxLength").asInt()).as("%s.quantity", schema).isEqualTo(50);
            assertThat(property(schema, "quantity").path("nullable").asBoolean()).isTrue();
            assertThat(property(schema, "note").path("maxLength").asInt()).as("%s.note", schema).isEqualTo(2000);
        }
        assertThat(property("RegisterRequest", "password").path("minLength").asInt()).isEqualTo(8);
    }

    @Test
    @DisplayName("gives every answer shape the fields of the contract")
    void shapes() {
        assertThat(required("User")).containsExactlyInAnyOrder("id", "email", "displayName");
        assertThat(required("Session")).containsExactlyInAnyOrder("user", "accessToken", "refreshToken", "expiresIn");
        assertThat(required("List")).containsExactlyInAnyOrder("id", "name", "role", "version", "createdAt",
                "updatedAt");
        assertThat(required("Member")).containsExactlyInAnyOrder("user", "role");
        assertThat(required("Item")).containsExactlyInAnyOrder("id", "listId", "name", "quantity", "note",
                "categoryId", "position", "checked", "checkedAt", "createdAt", "updatedAt");
        assertThat(required("Category")).containsExactlyInAnyOrder("id", "listId", "name", "position");
        assertThat(required("ItemsPage")).containsExactlyInAnyOrder("version", "items");
        assertThat(required("CategoriesPage")).containsExactlyInAnyOrder("version", "categories");
        assertThat(required("DeletedIds")).containsExactlyInAnyOrder("deletedIds");
        assertThat(required("Problem")).containsExactlyInAnyOrder("type", "title", "status", "detail");
    }

    @Test
    @DisplayName("lets the owner grant editor or viewer, and shows owner, editor or viewer")
    void roles() {
        assertThat(texts(schema("GrantableRole").path("enum"))).containsExactlyInAnyOrder("editor", "viewer");
        assertThat(texts(schema("Role").path("enum"))).containsExactlyInAnyOrder("owner", "editor", "viewer");
        assertThat(resolve(property("AddMemberRequest", "role")).path("enum").size()).isEqualTo(2);
        assertThat(resolve(property("ChangeRoleRequest", "role")).path("enum").size()).isEqualTo(2);
    }

    @Test
    @DisplayName("documents includeChecked as an optional boolean query parameter that defaults to true")
    void includeChecked() {
        JsonNode parameter = parameter(operation(contractRow("GET /api/v1/lists/{id}/items")), "includeChecked");

        assertThat(parameter.path("in").asText()).isEqualTo("query");
        assertThat(parameter.path("required").asBoolean(false)).isFalse();
        assertThat(parameter.at("/schema/type").asText()).isEqualTo("boolean");
        assertThat(parameter.at("/schema/default").asBoolean(false)).isTrue();
    }

    @Test
    @DisplayName("documents the logout extension: a refresh token in, 204 out, no access token needed")
    void logoutExtension() {
        JsonNode operation = document.path("paths").path("/api/v1/auth/logout").path("post");
        assertThat(operation.path("responses").has("204")).isTrue();
        assertThat(operation.path("security").toString()).isEqualTo("[]");
        assertThat(resolve(operation.path("requestBody")).at("/content/application~1json/schema/$ref").asText())
                .endsWith("/RefreshRequest");
    }

    @ParameterizedTest(name = "{0} takes an Idempotency-Key")
    @MethodSource("writes")
    @DisplayName("documents the Idempotency-Key of every write (contract 1.1): the header, the replayed answer, 409 "
            + "with Retry-After and 422")
    void documentsIdempotencyKeys(Row row) {
        JsonNode operation = operation(row);
        JsonNode key = parameter(operation, "Idempotency-Key");
        assertThat(key.path("in").asText()).isEqualTo("header");
        assertThat(key.path("required").asBoolean(false)).isFalse();
        assertThat(key.at("/schema/minLength").asInt()).isEqualTo(1);
        assertThat(key.at("/schema/maxLength").asInt()).isEqualTo(255);

        JsonNode responses = operation.path("responses");
        assertThat(resolve(responses.path(String.valueOf(row.status()))).at("/headers/Idempotent-Replayed").isObject())
                .as("%s documents Idempotent-Replayed on its answer", row).isTrue();
        assertThat(resolve(responses.path("409")).at("/headers/Retry-After").isObject())
                .as("%s documents 409 with Retry-After", row).isTrue();
        assertThat(names(responses)).as("%s problem answers", row).contains("400", "409", "422");
    }

    @Test
    @DisplayName("documents the client-chosen id of item and category creates as a canonical lower-case UUID")
    void clientChosenIds() {
        for (String schema : List.of("NewItem", "NewCategory")) {
            JsonNode id = resolve(property(schema, "id"));
            assertThat(id.path("format").asText()).as("%s.id", schema).isEqualTo("uuid");
            assertThat(id.path("pattern").asText()).isEqualTo(
                    "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
            assertThat(required(schema)).doesNotContain("id");
        }
        assertThat(resolve(operation(contractRow("POST /api/v1/lists/{id}/items")).path("responses").path("404"))
                .path("description").asText()).contains("categoryId");
    }

    @Test
    @DisplayName("documents the WebSocket upgrade as a GET with token and since that answers 101")
    void webSocketUpgrade() {
        JsonNode operation = document.path("paths").path(WEBSOCKET_PATH).path("get");

        assertThat(operation.isObject()).isTrue();
        assertThat(operation.path("responses").has("101")).isTrue();
        assertThat(parameter(operation, "token").path("in").asText()).isEqualTo("query");
        assertThat(parameter(operation, "since").path("in").asText()).isEqualTo("query");
        assertThat(parameter(operation, "id").path("in").asText()).isEqualTo("path");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                    .header("Accept", accept).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static Row contractRow(String call) {
        return CONTRACT.stream().filter(row -> row.toString().equals(call)).findFirst()
                .orElseThrow(() -> new AssertionError("not a contract row: " + call));
    }

    private JsonNode operation(Row row) {
        return document.path("paths").path(row.path()).path(row.method().toLowerCase(Locale.ROOT));
    }

    /** An operation's parameter by name, from the operation or its path item, references followed. */
    private JsonNode parameter(JsonNode operation, String name) {
        List<JsonNode> all = new ArrayList<>();
        operation.path("parameters").forEach(all::add);
        document.path("paths").properties().stream()
                .filter(path -> path.getValue().properties().stream().anyMatch(op -> op.getValue() == operation))
                .forEach(path -> path.getValue().path("parameters").forEach(all::add));
        return all.stream().map(this::resolve).filter(p -> p.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name + " in " + operation));
    }

    /** Follows a local {@code $ref} ({@code #/components/...}); anything else is returned as it is. */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            String ref = current.get("$ref").asText();
            assertThat(ref).startsWith("#/");
            current = document.at(ref.substring(1));
            assertThat(current.isMissingNode()).as("%s exists", ref).isFalse();
        }
        return current;
    }

    private JsonNode schema(String name) {
        JsonNode schema = document.at("/components/schemas/" + name);
        assertThat(schema.isObject()).as("schema %s", name).isTrue();
        return schema;
    }

    private JsonNode property(String schema, String property) {
        JsonNode node = schema(schema).path("properties").path(property);
        assertThat(node.isObject()).as("%s.%s", schema, property).isTrue();
        return node;
    }

    private List<String> required(String schema) {
        return texts(schema(schema).path("required"));
    }

    private static String schemaRef(String name) {
        return "#/components/schemas/" + name;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
