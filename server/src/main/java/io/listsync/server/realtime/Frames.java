package io.listsync.server.realtime;

/**
 * The server's own frames (change events arrive already serialized from the broker).
 */
final class Frames {

    static final String PING = "{\"type\":\"ping\"}";
    static final String PONG = "{\"type\":\"pong\"}";

    private Frames() {
    }

    static String hello(String listIdJson, long version) {
        return "{\"type\":\"hello\",\"listId\":" + listIdJson + ",\"version\":" + version + "}";
    }

    /** The {@code hello} of a presence socket: the viewers are a JSON array, serialized once. */
    static String hello(String listIdJson, long version, String viewersJson) {
        return "{\"type\":\"hello\",\"listId\":" + listIdJson + ",\"version\":" + version + ",\"viewers\":"
                + viewersJson + "}";
    }

    /** The user socket's {@code hello}. */
    static String userHello(String userIdJson) {
        return "{\"type\":\"hello\",\"userId\":" + userIdJson + "}";
    }

    static String presence(String listIdJson, String viewersJson) {
        return "{\"type\":\"presence\",\"listId\":" + listIdJson + ",\"viewers\":" + viewersJson + "}";
    }

    static String resync(long version) {
        return "{\"type\":\"resync\",\"version\":" + version + "}";
    }
}
