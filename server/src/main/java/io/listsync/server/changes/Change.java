package io.listsync.server.changes;

/**
 * What a unit of work did to a list: the value for the REST answer and, unless it changed nothing, the event
 * clients receive.
 *
 * @param result the REST answer's body
 * @param type   the event type; {@code null} for a no-op, which is rolled back and publishes nothing
 * @param data   the event's {@code data}
 */
public record Change<T>(T result, EventType type, Object data) {

    public static <T> Change<T> of(EventType type, T result, Object data) {
        return new Change<>(result, type, data);
    }

    /** The change event carries the REST answer itself (the full item, category or list). */
    public static <T> Change<T> of(EventType type, T result) {
        return new Change<>(result, type, result);
    }

    /** Nothing changed: no version, no event. */
    public static <T> Change<T> none(T result) {
        return new Change<>(result, null, null);
    }

    boolean isNone() {
        return type == null;
    }
}
