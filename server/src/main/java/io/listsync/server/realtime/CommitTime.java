package io.listsync.server.realtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * When an event frame was committed: its top-level {@code ts}, read for the delivery-latency meter of every event an
 * instance receives.
 *
 * <p>The server writes {@code ts} last and always as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, so it is read from the frame's
 * last 33 characters without parsing the rest: parsing every frame and its time with Jackson and
 * {@link Instant#parse} was most of an instance's fan-out CPU (6% of the writing instance's samples in the
 * side-by-side run). A frame of any other shape is parsed in full.
 */
final class CommitTime {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String KEY = "\"ts\":\"";
    private static final int TS_LENGTH = "2026-11-25T19:00:00.000Z".length();
    /** {@code ,"ts":"} or {@code {"ts":"}, the time, and {@code "}}. */
    private static final int TAIL = 1 + KEY.length() + TS_LENGTH + 2;

    private CommitTime() {
    }

    /** @return the frame's commit time, or {@code null} when it has no readable top-level {@code ts} */
    static Instant of(String frame) {
        Instant fast = fromTail(frame);
        return fast != null ? fast : parsed(frame);
    }

    /**
     * The tail {@code ,"ts":"…"}}: the closing brace is the frame's, the string before it a direct member's value
     * (inside a string every quote is escaped, so the unescaped {@code "ts":"} cannot be part of one).
     */
    private static Instant fromTail(String frame) {
        int start = frame.length() - TAIL;
        if (start < 0 || !frame.endsWith("\"}")) {
            return null;
        }
        char before = frame.charAt(start);
        if ((before != ',' && before != '{') || !frame.startsWith(KEY, start + 1)) {
            return null;
        }
        return isoMillis(frame, start + 1 + KEY.length());
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} at {@code at}, or {@code null}. */
    private static Instant isoMillis(String s, int at) {
        if (s.charAt(at + 4) != '-' || s.charAt(at + 7) != '-' || s.charAt(at + 10) != 'T'
                || s.charAt(at + 13) != ':' || s.charAt(at + 16) != ':' || s.charAt(at + 19) != '.'
                || s.charAt(at + 23) != 'Z') {
            return null;
        }
        int year = digits(s, at, 4);
        int month = digits(s, at + 5, 2);
        int day = digits(s, at + 8, 2);
        int hour = digits(s, at + 11, 2);
        int minute = digits(s, at + 14, 2);
        int second = digits(s, at + 17, 2);
        int millis = digits(s, at + 20, 3);
        if ((year | month | day | hour | minute | second | millis) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number of {@code count} digits at {@code at}; negative if any is not a digit. */
    private static int digits(String s, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static Instant parsed(String frame) {
        try (JsonParser parser = JSON.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("ts".equals(field) && value == JsonToken.VALUE_STRING) {
                    return Instant.parse(parser.getText());
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
