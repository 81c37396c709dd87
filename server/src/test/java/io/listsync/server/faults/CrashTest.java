package io.listsync.server.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.listsync.server.support.Api;
import io.listsync.server.support.Await;
import io.listsync.server.support.ChildServer;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 2xx answer means the change is durable: a server process killed with SIGKILL in the middle of concurrent writes
 * keeps, after its restart, every write it had answered 2xx, and the list's version, its event log and its items
 * still agree. One subclass per database; several crashes per run.
 */
abstract class CrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Crashes per run; {@code -DargLine=-Dcrash.rounds=N} runs more when hunting a rare one. */
    private static final int ROUNDS = Integer.getInteger("crash.rounds", 3);
    private static final int WRITERS = 8;
    /** Acknowledged writes to wait for in each round before the kill, so the kill lands mid-burst. */
    private static final int WRITES_BEFORE_KILL = 120;

    /** Database settings for the child server; empty for the embedded default. */
    abstract Map<String, String> databaseSettings();

    /** A JDBC connection to the server's database, for reading the event log; the server is stopped first. */
    abstract Connection openDatabase(ChildServer server) throws SQLException;

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        try (ChildServer server = ChildServer.builder(getClass().getSimpleName())
                .settings(databaseSettings()).build().start()) {
            Api api = server.api();
            Api.User user = api.register();
            String listId = api.createList(user, "Survives crashes");
            Acknowledged acked = new Acknowledged();

            for (int round = 1; round <= ROUNDS; round++) {
                if (!server.alive()) {
                    server.start();
                }
                int before = acked.count();
                try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> running = new ArrayList<>();
                    for (int w = 0; w < WRITERS; w++) {
                        String prefix = "r" + round + "w" + w + "-";
                        running.add(writers.submit(() -> write(api, user, listId, prefix, acked)));
                    }
                    try {
                        Await.until(() -> acked.count() >= before + WRITES_BEFORE_KILL || acked.failed(),
                                Duration.ofSeconds(60));
                    } finally {
                        server.kill(); // mid-burst: the writers are still sending
                    }
                    for (Future<?> writer : running) {
                        writer.get(30, TimeUnit.SECONDS);
                    }
                }
                assertThat(acked.unexpected).as("answers other than 2xx before the kill").isEmpty();

                // what the crash left on disk, read before the server's restart can touch it
                try (Connection db = openDatabase(server)) {
                    assertEventLogAgrees(db, listId, "on disk after crash " + round);
                }

                server.start();
                Map<String, Boolean> items = items(api, user, listId);
                assertThat(items.keySet()).as("round %d: items answered 201 are there", round)
                        .containsAll(acked.created);
                assertThat(acked.checked).as("round %d: checks answered 200 are kept", round)
                        .allSatisfy(id -> assertThat(items.get(id)).as(id).isTrue());
                long version = api.get("/api/v1/lists/" + listId, user.token()).json().get("version").asLong();
                long checkedCount = items.values().stream().filter(checked -> checked).count();
                assertThat(version).as("round %d: one version per create and per check", round)
                        .isEqualTo(items.size() + checkedCount);
            }

            server.stop();
            try (Connection db = openDatabase(server)) {
                assertEventLogAgrees(db, listId, "after the last restart");
            }
        }
    }

    /** Creates items and checks each one, recording what was answered 2xx, until the server is gone. */
    private static void write(Api api, Api.User user, String listId, String prefix, Acknowledged acked) {
        String items = "/api/v1/lists/" + listId + "/items";
        for (int n = 0; ; n++) {
            try {
                Api.Response created = api.post(items, user.token(), json(Map.of("name", prefix + n)));
                if (created.status() != 201) {
                    acked.unexpected(created);
                    return;
                }
                String id = created.json().get("id").asText();
                acked.created.add(id);
                Api.Response checked = api.post(items + "/" + id + "/check", user.token(), null);
                if (checked.status() != 200) {
                    acked.unexpected(checked);
                    return;
                }
                acked.checked.add(id);
            } catch (UncheckedIOException | IllegalStateException serverGone) {
                return;
            }
        }
    }

    private static Map<String, Boolean> items(Api api, Api.User user, String listId) {
        Api.Response r = api.get("/api/v1/lists/" + listId + "/items", user.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, Boolean> items = new HashMap<>();
        r.json().get("items").forEach(item -> items.put(item.get("id").asText(), item.get("checked").asBoolean()));
        return items;
    }

    /**
     * In the database itself: the log holds exactly versions 1..{@code lists.version}, one row each, and replaying
     * it gives the items table: every item it created, and checked exactly those it checked.
     */
    private static void assertEventLogAgrees(Connection db, String listId, String after) throws Exception {
        long version;
        try (PreparedStatement list = db.prepareStatement("SELECT version, published_version FROM lists WHERE id = ?")) {
            list.setString(1, listId);
            try (ResultSet rs = list.executeQuery()) {
                assertThat(rs.next()).isTrue();
                version = rs.getLong("version");
                assertThat(rs.getLong("published_version")).isLessThanOrEqualTo(version);
            }
        }
        Map<String, Boolean> items = new HashMap<>();
        try (PreparedStatement rows = db.prepareStatement("SELECT id, checked FROM items WHERE list_id = ?")) {
            rows.setString(1, listId);
            try (ResultSet rs = rows.executeQuery()) {
                while (rs.next()) {
                    items.put(rs.getString("id"), rs.getBoolean("checked"));
                }
            }
        }
        List<Long> versions = new ArrayList<>();
        Set<String> created = new HashSet<>();
        Set<String> checked = new HashSet<>();
        try (PreparedStatement log = db.prepareStatement(
                "SELECT version, type, payload FROM list_events WHERE list_id = ? ORDER BY version")) {
            log.setString(1, listId);
            try (ResultSet rs = log.executeQuery()) {
                while (rs.next()) {
                    versions.add(rs.getLong("version"));
                    JsonNode frame = JSON.readTree(rs.getString("payload"));
                    assertThat(frame.get("version").asLong()).isEqualTo(rs.getLong("version"));
                    assertThat(frame.get("type").asText()).isEqualTo(rs.getString("type"));
                    String id = frame.at("/data/id").asText();
                    switch (rs.getString("type")) {
                        case "item_created" -> assertThat(created.add(id)).as("created once: " + id).isTrue();
                        case "item_checked" -> assertThat(checked.add(id)).as("checked once: " + id).isTrue();
                        default -> throw new AssertionError("unexpected event " + frame);
                    }
                }
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long v = 1; v <= version; v++) {
            expected.add(v);
        }
        assertThat(versions).as("%s: one event per version up to lists.version %d, no gap", after, version)
                .isEqualTo(expected);
        assertThat(created).as("%s: the log created exactly the items there are", after).isEqualTo(items.keySet());
        Set<String> checkedNow = new HashSet<>();
        items.forEach((id, isChecked) -> {
            if (isChecked) {
                checkedNow.add(id);
            }
        });
        assertThat(checked).as("%s: the log checked exactly the checked items", after).isEqualTo(checkedNow);
    }

    /** What the server answered 2xx, across rounds. */
    private static final class Acknowledged {
        final Set<String> created = ConcurrentHashMap.newKeySet();
        final Set<String> checked = ConcurrentHashMap.newKeySet();
        final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger unexpectedCount = new AtomicInteger();

        int count() {
            return created.size() + checked.size();
        }

        boolean failed() {
            return unexpectedCount.get() > 0;
        }

        void unexpected(Api.Response response) {
            unexpected.add(response.toString());
            unexpectedCount.incrementAndGet();
        }
    }
}
