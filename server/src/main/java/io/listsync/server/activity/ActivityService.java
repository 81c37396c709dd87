package io.listsync.server.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.http.Json;
import io.listsync.server.access.ListAccess;

import java.io.UncheckedIOException;

/**
 * A list's history, read from its event log (so the log's retention applies): who changed what, newest first.
 */
public final class ActivityService {

    private final Database db;
    private final ListAccess access;
    private final Json json;

    public ActivityService(Database db, ListAccess access, Json json) {
        this.db = db;
        this.access = access;
        this.json = json;
    }

    /**
     * @param before only events with a version below this (exclusive); {@code Long.MAX_VALUE} for the newest
     * @param limit  at most this many
     */
    public ActivityEvent.Page page(String listId, String userId, long before, int limit) {
        DbExecute read = db.read();
        access.requireMember(read, listId, userId);
        return new ActivityEvent.Page(Rows.list(read, this::event,
                "SELECT e.version, e.type, e.actor_id, e.payload, u.display_name FROM list_events e "
                        + "LEFT JOIN users u ON u.id = e.actor_id WHERE e.list_id = ? AND e.version < ? "
                        + "ORDER BY e.version DESC LIMIT " + limit,
                listId, before));
    }

    private ActivityEvent event(DbRow row) {
        // the logged payload is the exact frame clients received: data and ts are taken from it unchanged
        JsonNode frame = parse(Rows.string(row, "payload"));
        String actorId = Rows.string(row, "actor_id");
        String displayName = Rows.string(row, "display_name");
        return new ActivityEvent(Rows.longValue(row, "version"), Rows.string(row, "type"),
                actorId == null || displayName == null ? null : new ActivityEvent.Actor(actorId, displayName),
                frame.path("ts").asText(null), frame.path("data"));
    }

    private JsonNode parse(String payload) {
        try {
            return json.mapper().readTree(payload);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Unreadable event in the log", e);
        }
    }
}
