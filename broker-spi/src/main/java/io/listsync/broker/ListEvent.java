package io.listsync.broker;

import java.util.Objects;

/**
 * One message about one list, as it travels between server instances.
 *
 * <p>{@code payload} is the complete text frame that WebSocket clients receive, serialized exactly once by the
 * instance that committed the change; brokers carry it as opaque text and never parse it. {@code type} and
 * {@code version} repeat what the payload says so receivers can order and de-duplicate without parsing.
 *
 * @param listId  the list the event belongs to; brokers route by it
 * @param type    the event type, for example {@code item_created}; server-internal control messages use other types
 * @param version the list version right after the change ({@code 0} for messages that are not list changes)
 * @param payload the serialized frame, UTF-8 JSON text
 */
public record ListEvent(String listId, String type, long version, String payload) {

    public ListEvent {
        Objects.requireNonNull(listId, "listId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (listId.isEmpty()) {
            throw new IllegalArgumentException("listId must not be empty");
        }
    }
}
