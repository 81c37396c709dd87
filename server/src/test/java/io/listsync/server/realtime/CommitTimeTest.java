package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The delivery-latency meter reads each received frame's commit time; it must be the frame's own {@code ts}. */
class CommitTimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheTimeTheServerWritesLast() {
        String frame = frame("Milk", "2026-12-03T08:50:25.123Z");
        assertThat(CommitTime.of(frame)).isEqualTo(Instant.parse("2026-12-03T08:50:25.123Z"));
    }

    @Test
    void aNameThatSpellsATimeIsNotTheFramesTime() {
        String sly = "x\",\"ts\":\"1999-01-01T00:00:00.000Z\"}";
        String frame = frame(sly, "2026-12-03T08:50:25.123Z");
        assertThat(CommitTime.of(frame)).isEqualTo(Instant.parse("2026-12-03T08:50:25.123Z"));
    }

    @Test
    void aNestedTsAtTheEndIsNotTheFramesTime() {
        String frame = "{\"type\":\"x\",\"ts\":\"2026-12-03T08:50:25.123Z\",\"data\":{\"ts\":\"1999-01-01T00:00:00.000Z\"}}";
        assertThat(CommitTime.of(frame)).isEqualTo(Instant.parse("2026-12-03T08:50:25.123Z"));
    }

    @Test
    void aFrameOfAnotherShapeIsParsed() {
        assertThat(CommitTime.of("{\"ts\":\"2026-12-03T08:50:25Z\",\"type\":\"x\"}"))
                .isEqualTo(Instant.parse("2026-12-03T08:50:25Z"));
        assertThat(CommitTime.of("{\"type\":\"x\",\"ts\":\"2026-13-03T08:50:25.123Z\"}")).isNull();
        assertThat(CommitTime.of("{\"type\":\"x\",\"ts\":\"2026-12-03T08:5a:25.123Z\"}")).isNull();
        assertThat(CommitTime.of("{\"type\":\"x\"}")).isNull();
        assertThat(CommitTime.of("not json")).isNull();
        assertThat(CommitTime.of("")).isNull();
    }

    private static String frame(String itemName, String ts) {
        ObjectNode frame = JSON.createObjectNode().put("type", "item_created").put("listId", "l1").put("version", 7);
        frame.putObject("data").put("id", "i1").put("name", itemName);
        frame.put("actorId", "u1").put("ts", ts);
        return frame.toString();
    }
}
