package io.listsync.server.activity;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One committed change as {@code GET /lists/{id}/activity} shows it.
 *
 * @param version the list's version right after the change
 * @param type    the event type
 * @param actor   who made it; null if that account no longer exists
 * @param ts      when it was published, as in the event frame
 * @param data    the event frame's {@code data}, unchanged
 */
public record ActivityEvent(long version, String type, Actor actor, String ts, JsonNode data) {

    public record Actor(String id, String displayName) {
    }

    /** The REST answer: newest first. */
    public record Page(List<ActivityEvent> events) {
    }
}
