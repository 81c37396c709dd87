package io.listsync.server.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.listsync.broker.ListEvent;

import java.io.IOException;
import java.util.Map;

/**
 * A notice that access to a list ended, published on the list's topic next to its change events, so every instance
 * closes the sockets it affects: 4403 for a removed member, 4404 for a deleted list. A notice is not a list version:
 * it is not in the event log and carries version 0. Its loss is covered by the receiver, which re-reads the members
 * from the database after any drop or broker outage; the notice is the fast path.
 */
public sealed interface AccessNotice {

    /** The one broker type of every notice; what kind it is, is in its payload. */
    String TYPE = "access_notice";

    /** The list the notice is about. */
    String listId();

    /** {@code userId} lost access to the list (removed by the owner, or left). */
    record MemberRemoved(String listId, String userId) implements AccessNotice {
    }

    /** The list was deleted. */
    record ListDeleted(String listId) implements AccessNotice {
    }

    /** Whether a broker message is a notice rather than a change event. */
    static boolean isNotice(ListEvent event) {
        return event.version() == 0 && TYPE.equals(event.type());
    }

    /** The notice as a broker message on the list's topic. */
    static ListEvent encode(AccessNotice notice) {
        Map<String, String> body = switch (notice) {
            case MemberRemoved removed -> Map.of("notice", "member_removed", "userId", removed.userId());
            case ListDeleted deleted -> Map.of("notice", "list_deleted");
        };
        try {
            return new ListEvent(Topics.list(notice.listId()), TYPE, 0, Codec.MAPPER.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException("A map of strings is always JSON", e);
        }
    }

    /** The notice a broker message carries; {@code null} for one this version does not know. */
    static AccessNotice decode(ListEvent event) {
        try {
            JsonNode body = Codec.MAPPER.readTree(event.payload());
            return switch (body.path("notice").asText("")) {
                case "member_removed" -> body.path("userId").isTextual()
                        ? new MemberRemoved(event.listId(), body.get("userId").textValue()) : null;
                case "list_deleted" -> new ListDeleted(event.listId());
                default -> null;
            };
        } catch (IOException e) {
            return null;
        }
    }

    /** Holds the codec's mapper (an interface cannot have private fields). */
    final class Codec {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        private Codec() {
        }
    }
}
