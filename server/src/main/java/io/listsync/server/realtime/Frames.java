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

    static String resync(long version) {
        return "{\"type\":\"resync\",\"version\":" + version + "}";
    }
}
