package io.listsync.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api.Response;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static io.listsync.server.rest.RestContractTest.assertProblem;
import static io.listsync.server.rest.RestContractTest.fieldNames;
import static io.listsync.server.rest.RestContractTest.mapOf;
import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 1.1 "Invite links": the owner's {@code /api/v1/lists/{id}/invites} and the invitee's
 * {@code /api/v1/invites/{code}}.
 */
abstract class InvitesRestTest extends ServerPerClassTest {

    private Response create(User user, String listId, Map<String, ?> body) {
        return api.post("/api/v1/lists/" + listId + "/invites", user.token(), json(body));
    }

    private JsonNode invite(User owner, String listId, Map<String, ?> body) {
        Response r = create(owner, listId, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private Response preview(String code) {
        return api.get("/api/v1/invites/" + code, null);
    }

    private Response accept(User user, String code) {
        return api.post("/api/v1/invites/" + code + "/accept", user.token(), null);
    }

    private JsonNode listed(User owner, String listId, String inviteId) {
        for (JsonNode invite : api.get("/api/v1/lists/" + listId + "/invites", owner.token()).json()) {
            if (invite.get("id").asText().equals(inviteId)) {
                return invite;
            }
        }
        return null;
    }

    private String roleOf(User owner, String listId, User member) {
        for (JsonNode m : api.get("/api/v1/lists/" + listId + "/members", owner.token()).json()) {
            if (m.at("/user/id").asText().equals(member.id())) {
                return m.get("role").asText();
            }
        }
        return null;
    }

    @Test
    @DisplayName("the owner creates an invite: URL-safe code of 128+ bits, 7 days and 1,000 uses by default, in that shape")
    void createDefaults() {
        User owner = api.register();
        String listId = api.createList(owner, "Groceries");
        Response r = create(owner, listId, Map.of("role", "editor"));
        assertThat(r.status()).isEqualTo(201);
        JsonNode invite = r.json();
        assertThat(fieldNames(invite)).containsExactly("id", "code", "role", "expiresAt", "maxUses", "uses",
                "createdAt");
        assertThat(invite.get("role").asText()).isEqualTo("editor");
        assertThat(invite.get("maxUses").asInt()).isEqualTo(1000);
        assertThat(invite.get("uses").asInt()).isZero();
        Instant createdAt = Instant.parse(invite.get("createdAt").asText());
        assertThat(Instant.parse(invite.get("expiresAt").asText())).isEqualTo(createdAt.plus(Duration.ofDays(7)));
        String code = invite.get("code").asText();
        // URL-safe base64: 6 bits a character, so at least 22 characters for 128 bits
        assertThat(code).matches("[A-Za-z0-9_-]{22,}");
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            codes.add(invite(owner, listId, Map.of("role", "viewer")).get("code").asText());
        }
        assertThat(codes).hasSize(20).doesNotContain(code);
    }

    @Test
    @DisplayName("expiresIn is an ISO-8601 duration up to P30D, maxUses 1 to 1,000; role editor or viewer; else 400")
    void validation() {
        User owner = api.register();
        String listId = api.createList(owner, "Rules");
        JsonNode custom = invite(owner, listId, Map.of("role", "viewer", "expiresIn", "PT2H", "maxUses", 3));
        assertThat(custom.get("role").asText()).isEqualTo("viewer");
        assertThat(custom.get("maxUses").asInt()).isEqualTo(3);
        assertThat(Duration.between(Instant.parse(custom.get("createdAt").asText()),
                Instant.parse(custom.get("expiresAt").asText()))).isEqualTo(Duration.ofHours(2));
        for (String ok : List.of("P30D", "PT720H", "P2W", "P1DT12H", "PT1S")) {
            assertThat(create(owner, listId, Map.of("role", "editor", "expiresIn", ok)).status()).as(ok).isEqualTo(201);
        }
        assertThat(create(owner, listId, Map.of("role", "editor", "maxUses", 1)).status()).isEqualTo(201);
        assertThat(create(owner, listId, Map.of("role", "editor", "maxUses", 1000)).status()).isEqualTo(201);

        for (Object bad : List.of("P31D", "PT721H", "P5W", "PT0S", "-PT1H", "P1M", "P1Y", "7 days", "", 7)) {
            assertProblem(create(owner, listId, Map.of("role", "editor", "expiresIn", bad)), 400, "expiresIn");
        }
        for (Object bad : List.of(0, 1001, -1, 2.5, "5")) {
            assertProblem(create(owner, listId, Map.of("role", "editor", "maxUses", bad)), 400, "maxUses");
        }
        for (Object bad : List.of("owner", "admin", "", 1)) {
            assertProblem(create(owner, listId, Map.of("role", bad)), 400, "role");
        }
        assertProblem(create(owner, listId, Map.of()), 400, "role");
        assertProblem(api.post("/api/v1/lists/" + listId + "/invites", owner.token(), "not json"), 400);
    }

    @Test
    @DisplayName("only the owner creates, lists and revokes: editors and viewers get 403, non-members 404")
    void ownerOnly() {
        User owner = api.register();
        User editor = api.register();
        User viewer = api.register();
        User stranger = api.register();
        String listId = api.createList(owner, "Mine");
        share(owner, listId, editor, "editor");
        share(owner, listId, viewer, "viewer");
        String inviteId = invite(owner, listId, Map.of("role", "editor")).get("id").asText();
        String invites = "/api/v1/lists/" + listId + "/invites";

        for (User member : List.of(editor, viewer)) {
            assertProblem(create(member, listId, Map.of("role", "viewer")), 403);
            assertProblem(api.get(invites, member.token()), 403);
            assertProblem(api.delete(invites + "/" + inviteId, member.token()), 403);
        }
        assertProblem(create(stranger, listId, Map.of("role", "viewer")), 404);
        assertProblem(api.get(invites, stranger.token()), 404);
        assertProblem(api.delete(invites + "/" + inviteId, stranger.token()), 404);
        assertProblem(create(owner, "no-such-list", Map.of("role", "viewer")), 404);
        assertProblem(api.get(invites, null), 401);
        assertProblem(api.post(invites, null, json(Map.of("role", "viewer"))), 401);
        assertThat(listed(owner, listId, inviteId)).isNotNull();
    }

    @Test
    @DisplayName("the owner lists invites newest first, codes included, with their uses")
    void list() {
        User owner = api.register();
        User ann = api.register();
        String listId = api.createList(owner, "Listed");
        JsonNode first = invite(owner, listId, Map.of("role", "editor"));
        JsonNode second = invite(owner, listId, Map.of("role", "viewer", "maxUses", 5, "expiresIn", "P1D"));
        assertThat(accept(ann, second.get("code").asText()).status()).isEqualTo(200);

        Response r = api.get("/api/v1/lists/" + listId + "/invites", owner.token());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).hasSize(2);
        JsonNode newest = r.json().get(0);
        assertThat(newest.get("id")).isEqualTo(second.get("id"));
        assertThat(newest.get("code")).isEqualTo(second.get("code"));
        assertThat(newest.get("uses").asInt()).isEqualTo(1);
        assertThat(newest.get("expiresAt")).isEqualTo(second.get("expiresAt"));
        assertThat(r.json().get(1)).isEqualTo(first);
        assertThat(api.get("/api/v1/lists/" + api.createList(owner, "Empty") + "/invites", owner.token()).json())
                .isEmpty();
    }

    @Test
    @DisplayName("anyone with the code sees list name, role, inviter and expiry, without an account; other codes are 404")
    void preview() {
        User owner = api.register();
        String listId = api.createList(owner, "Camping trip");
        JsonNode invite = invite(owner, listId, Map.of("role", "viewer"));

        Response r = preview(invite.get("code").asText());
        assertThat(r.status()).isEqualTo(200);
        assertThat(fieldNames(r.json())).containsExactly("listName", "role", "invitedBy", "expiresAt");
        assertThat(r.json().get("listName").asText()).isEqualTo("Camping trip");
        assertThat(r.json().get("role").asText()).isEqualTo("viewer");
        assertThat(r.json().at("/invitedBy/displayName").asText()).isEqualTo("Test " + owner.email());
        assertThat(fieldNames(r.json().get("invitedBy"))).containsExactly("displayName");
        assertThat(r.json().get("expiresAt")).isEqualTo(invite.get("expiresAt"));

        String code = invite.get("code").asText();
        String other = (code.charAt(0) == 'A' ? 'B' : 'A') + code.substring(1);
        for (String unknown : List.of(other, "short", code + "x", "x".repeat(300))) {
            assertProblem(preview(unknown), 404);
            assertProblem(accept(owner, unknown), 404);
        }
    }

    @Test
    @DisplayName("accepting makes the caller a member with the invite's role and counts a use; a member again changes nothing")
    void accept() {
        User owner = api.register();
        User dora = api.register();
        User editor = api.register();
        String listId = api.createList(owner, "Join me");
        share(owner, listId, editor, "editor");
        JsonNode invite = invite(owner, listId, Map.of("role", "viewer"));
        String code = invite.get("code").asText();

        Response joined = accept(dora, code);
        assertThat(joined.status()).isEqualTo(200);
        assertThat(joined.json().get("id").asText()).isEqualTo(listId);
        assertThat(joined.json().get("name").asText()).isEqualTo("Join me");
        assertThat(joined.json().get("role").asText()).isEqualTo("viewer");
        assertThat(roleOf(owner, listId, dora)).isEqualTo("viewer");
        assertThat(listed(owner, listId, invite.get("id").asText()).get("uses").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/lists", dora.token()).json().findValuesAsText("id")).contains(listId);
        // the invite's role holds: a viewer cannot write
        assertProblem(api.post("/api/v1/lists/" + listId + "/items", dora.token(), json(Map.of("name", "x"))), 403);
        long version = version(owner, listId);

        // members already: 200, role and uses unchanged (the editor keeps editor, the owner owner)
        Response again = accept(dora, code);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("role").asText()).isEqualTo("viewer");
        assertThat(accept(editor, code).json().get("role").asText()).isEqualTo("editor");
        assertThat(accept(owner, code).json().get("role").asText()).isEqualTo("owner");
        assertThat(roleOf(owner, listId, editor)).isEqualTo("editor");
        assertThat(listed(owner, listId, invite.get("id").asText()).get("uses").asInt()).isEqualTo(1);
        // membership does not change the list's version
        assertThat(version(owner, listId)).isEqualTo(version);
        assertProblem(api.post("/api/v1/invites/" + code + "/accept", null, null), 401);
    }

    @Test
    @DisplayName("a used-up invite is 404 on both calls, and uses stop at maxUses")
    void usedUp() {
        User owner = api.register();
        String listId = api.createList(owner, "Two seats");
        JsonNode invite = invite(owner, listId, Map.of("role", "editor", "maxUses", 2));
        String code = invite.get("code").asText();
        assertThat(accept(api.register(), code).status()).isEqualTo(200);
        assertThat(preview(code).status()).isEqualTo(200);
        assertThat(accept(api.register(), code).status()).isEqualTo(200);

        User late = api.register();
        assertProblem(preview(code), 404);
        assertProblem(accept(late, code), 404);
        assertThat(listed(owner, listId, invite.get("id").asText()).get("uses").asInt()).isEqualTo(2);
        assertThat(roleOf(owner, listId, late)).isNull();
    }

    @Test
    @DisplayName("an expired invite is 404 on both calls")
    void expired() {
        User owner = api.register();
        String listId = api.createList(owner, "Brief");
        JsonNode invite = invite(owner, listId, Map.of("role", "editor", "expiresIn", "PT1S"));
        String code = invite.get("code").asText();
        Instant expiresAt = Instant.parse(invite.get("expiresAt").asText());

        Await.until(() -> preview(code).status() == 404, Duration.ofSeconds(10));
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
        User late = api.register();
        assertProblem(preview(code), 404);
        assertProblem(accept(late, code), 404);
        assertThat(roleOf(owner, listId, late)).isNull();
        // the owner still sees it, with its expiry in the past
        assertThat(listed(owner, listId, invite.get("id").asText())).isNotNull();
    }

    @Test
    @DisplayName("an invite expired more than 30 days ago is pruned; one expired lately and a live one stay listed")
    void longExpiredArePruned() throws java.sql.SQLException {
        User owner = api.register();
        String listId = api.createList(owner, "Old links");
        String old = invite(owner, listId, Map.of("role", "editor")).get("id").asText();
        String recent = invite(owner, listId, Map.of("role", "viewer")).get("id").asText();
        String live = invite(owner, listId, Map.of("role", "editor")).get("id").asText();
        try (java.sql.Connection jdbc = io.listsync.server.support.TestDatabases.connect(database);
             java.sql.PreparedStatement backdate = jdbc.prepareStatement(
                     "UPDATE invites SET expires_at = ? WHERE id = ?")) {
            for (Map.Entry<String, Duration> ago : Map.of(old, Duration.ofDays(31), recent, Duration.ofDays(29))
                    .entrySet()) {
                backdate.setObject(1, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minus(ago.getValue()));
                backdate.setString(2, ago.getKey());
                assertThat(backdate.executeUpdate()).isEqualTo(1);
            }
        }
        assertThat(server.app().invitePruner().prune()).isEqualTo(1);
        assertThat(listed(owner, listId, old)).isNull();
        assertThat(listed(owner, listId, recent)).isNotNull();
        assertThat(listed(owner, listId, live)).isNotNull();
        assertThat(server.app().invitePruner().prune()).isZero();
    }

    @Test
    @DisplayName("revoking stops the code at once: 404 on both calls; revoking it again is 404")
    void revoke() {
        User owner = api.register();
        String listId = api.createList(owner, "Revoked");
        JsonNode invite = invite(owner, listId, Map.of("role", "editor"));
        String code = invite.get("code").asText();
        String path = "/api/v1/lists/" + listId + "/invites/" + invite.get("id").asText();

        assertThat(api.delete(path, owner.token()).status()).isEqualTo(204);
        assertProblem(preview(code), 404);
        assertProblem(accept(api.register(), code), 404);
        assertThat(listed(owner, listId, invite.get("id").asText())).isNull();
        assertProblem(api.delete(path, owner.token()), 404);
        // an invite of another list cannot be revoked through this one
        String other = api.createList(owner, "Other");
        String foreign = invite(owner, other, Map.of("role", "editor")).get("id").asText();
        assertProblem(api.delete("/api/v1/lists/" + listId + "/invites/" + foreign, owner.token()), 404);
        assertThat(listed(owner, other, foreign)).isNotNull();
    }

    @Test
    @DisplayName("deleting the list ends its invites")
    void listDeleted() {
        User owner = api.register();
        String listId = api.createList(owner, "Short-lived");
        String code = invite(owner, listId, Map.of("role", "editor")).get("code").asText();
        assertThat(api.delete("/api/v1/lists/" + listId, owner.token()).status()).isEqualTo(204);
        assertProblem(preview(code), 404);
        assertProblem(accept(api.register(), code), 404);
    }

    @Test
    @DisplayName("concurrent accepts: exactly maxUses new members, uses counted once each; one user racing themselves joins once")
    void concurrentAccepts() throws Exception {
        User owner = api.register();
        String listId = api.createList(owner, "Race");
        JsonNode invite = invite(owner, listId, Map.of("role", "editor", "maxUses", 5));
        String code = invite.get("code").asText();
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(api.register());
        }
        List<Integer> statuses = race(users.stream().map(u -> (java.util.concurrent.Callable<Integer>)
                () -> accept(u, code).status()).toList());
        assertThat(statuses.stream().filter(s -> s == 200).count()).as("%s", statuses).isEqualTo(5);
        assertThat(statuses.stream().filter(s -> s == 404).count()).as("%s", statuses).isEqualTo(15);
        assertThat(listed(owner, listId, invite.get("id").asText()).get("uses").asInt()).isEqualTo(5);
        assertThat(api.get("/api/v1/lists/" + listId + "/members", owner.token()).json()).hasSize(6);

        JsonNode roomy = invite(owner, listId, Map.of("role", "viewer", "maxUses", 100));
        User eager = api.register();
        List<Integer> eagerStatuses = race(java.util.Collections.nCopies(10,
                () -> accept(eager, roomy.get("code").asText()).status()));
        assertThat(eagerStatuses).containsOnly(200);
        assertThat(listed(owner, listId, roomy.get("id").asText()).get("uses").asInt()).isEqualTo(1);
        assertThat(roleOf(owner, listId, eager)).isEqualTo("viewer");
    }

    private static List<Integer> race(List<java.util.concurrent.Callable<Integer>> calls) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (var call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return statuses;
        }
    }

    @Test
    @DisplayName("the database holds no usable code: neither the code nor any column that gives it back")
    void databaseLeakRevealsNoCode() {
        User owner = api.register();
        String listId = api.createList(owner, "Leak");
        JsonNode invite = invite(owner, listId, Map.of("role", "editor"));
        String code = invite.get("code").asText();

        List<String> columns = new ArrayList<>();
        try (var rows = server.app().database().read().query("SELECT * FROM invites WHERE id = ?",
                invite.get("id").asText())) {
            rows.forEach(row -> row.forEach(column -> columns.add(String.valueOf(column.get()))));
        }
        assertThat(columns).isNotEmpty();
        assertThat(columns).noneMatch(value -> value.contains(code));
        assertThat(columns).noneMatch(value -> value.contains(java.util.Base64.getEncoder()
                .encodeToString(java.util.Base64.getUrlDecoder().decode(code))));
    }

    @Test
    @DisplayName("invite codes never appear in the logs, though every call that carried one is logged")
    void codesAbsentFromLogs() {
        Logger root = Logger.getLogger("");
        Logger access = Logger.getLogger("io.listsync.access");
        Level accessLevel = access.getLevel();
        List<String> lines = new CopyOnWriteArrayList<>();
        SimpleFormatter formatter = new SimpleFormatter();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(formatter.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        access.setLevel(Level.INFO);
        String code;
        try {
            User owner = api.register();
            User guest = api.register();
            String listId = api.createList(owner, "Logged");
            JsonNode invite = invite(owner, listId, Map.of("role", "editor"));
            code = invite.get("code").asText();
            api.get("/api/v1/lists/" + listId + "/invites", owner.token());
            preview(code);
            accept(guest, code);
            accept(guest, code);
            api.post("/api/v1/invites/" + code + "/accept", null, null);
            api.post("/api/v1/invites/" + code + "/accept", guest.token(), "{\"unexpected\": true}");
            api.get("/API/V1/INVITES/" + code, null);
            api.get("/invite/" + code, null);
            api.get("/invite/" + code + "?next=" + code, null);
            api.delete("/api/v1/lists/" + listId + "/invites/" + invite.get("id").asText(), owner.token());
            preview(code);
            accept(guest, code);
            String logged = "path=/api/v1/invites/***/accept";
            Await.until(() -> lines.stream().filter(l -> l.contains(logged)).count() >= 5, Duration.ofSeconds(5));
        } finally {
            access.setLevel(accessLevel);
            root.removeHandler(capture);
        }
        assertThat(lines).anyMatch(l -> l.contains("path=/api/v1/invites/*** status=200"));
        assertThat(lines).anyMatch(l -> l.contains("path=/invite/***"));
        assertThat(lines).noneMatch(l -> l.contains(code));
    }

    @Test
    @DisplayName("invite writes are safe to retry with an Idempotency-Key: one invite, one use, the first answer again")
    void idempotentRetries() {
        User owner = api.register();
        User dora = api.register();
        String listId = api.createList(owner, "Retries");
        String body = json(Map.of("role", "editor", "maxUses", 3));
        Map<String, String> key = Map.of("Idempotency-Key", java.util.UUID.randomUUID().toString());
        Response first = api.send("POST", "/api/v1/lists/" + listId + "/invites", owner.token(), body, key);
        Response again = api.send("POST", "/api/v1/lists/" + listId + "/invites", owner.token(), body, key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(api.get("/api/v1/lists/" + listId + "/invites", owner.token()).json()).hasSize(1);

        String accept = "/api/v1/invites/" + first.json().get("code").asText() + "/accept";
        Map<String, String> acceptKey = Map.of("Idempotency-Key", java.util.UUID.randomUUID().toString());
        Response joined = api.send("POST", accept, dora.token(), null, acceptKey);
        Response replayed = api.send("POST", accept, dora.token(), null, acceptKey);
        assertThat(joined.status()).isEqualTo(200);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replayed.json()).isEqualTo(joined.json());
        assertThat(listed(owner, listId, first.json().get("id").asText()).get("uses").asInt()).isEqualTo(1);

        // what the keys remember (the create's answer, the accept's path) holds no usable code either
        String code = first.json().get("code").asText();
        List<String> columns = new ArrayList<>();
        try (var rows = server.app().database().read().query("SELECT * FROM idempotency_keys WHERE user_id IN (?, ?)",
                owner.id(), dora.id())) {
            rows.forEach(row -> row.forEach(column -> columns.add(String.valueOf(column.get()))));
        }
        assertThat(columns).anyMatch(value -> value.equals("/api/v1/invites/***/accept"));
        assertThat(columns).noneMatch(value -> value.contains(code));
        // and a key used for one invite's accept is 422 for another's, though both paths are masked alike
        String other = invite(owner, listId, Map.of("role", "editor")).get("code").asText();
        assertThat(api.send("POST", "/api/v1/invites/" + other + "/accept", dora.token(), null, acceptKey).status())
                .isEqualTo(422);
    }

    @Test
    @DisplayName("an accepted viewer invite and a role change later are independent: the owner can still change the role")
    void roleCanChangeAfterJoining() {
        User owner = api.register();
        User dora = api.register();
        String listId = api.createList(owner, "Roles");
        accept(dora, invite(owner, listId, Map.of("role", "viewer")).get("code").asText());
        Response changed = api.patch("/api/v1/lists/" + listId + "/members/" + dora.id(), owner.token(),
                json(mapOf("role", "editor")));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(roleOf(owner, listId, dora)).isEqualTo("editor");
    }
}
