package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.http.Json;

import java.io.IOException;

/**
 * Reads what a client sends on any socket: a JSON object whose only job is its {@code type}.
 */
final class ClientFrames {

    static final String PING = "ping";
    static final String PONG = "pong";

    private ClientFrames() {
    }

    /** The {@code type} of a client frame that is a JSON object with a textual type; null otherwise. */
    static String type(String frame, Json json) {
        // the frames every client sends, without a parse
        if (frame.equals(Frames.PONG)) {
            return PONG;
        }
        if (frame.equals(Frames.PING)) {
            return PING;
        }
        try {
            JsonNode node = json.mapper().readTree(frame);
            return node != null && node.isObject() && node.get("type") != null && node.get("type").isTextual()
                    ? node.get("type").textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
