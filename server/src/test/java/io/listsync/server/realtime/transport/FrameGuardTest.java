package io.listsync.server.realtime.transport;

import io.helidon.common.buffers.DataReader;
import io.helidon.websocket.WsCloseException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The frame guard over streams cut into chunks of every size: valid frames pass unchanged wherever the cuts fall;
 * an invalid frame is never handed on, and everything before it is.
 */
class FrameGuardTest {

    private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 5, 7, 64, 100_000})
    @DisplayName("valid frames pass unchanged, however the stream is cut: extended lengths, fragments, interleaved control frames, a close")
    void validStream(int chunk) {
        byte[] stream = concat(
                frame(0x81, "{\"type\":\"pong\"}".getBytes()),
                frame(0x01, new byte[200]),           // 16-bit length, first fragment
                frame(0x89, new byte[125]),           // a ping between the fragments, at the control limit
                frame(0x00, new byte[0]),
                frame(0x80, new byte[70_000]),        // 64-bit length, last fragment
                frame(0x8A, new byte[0]),
                frame(0x88, new byte[] {0x0F, (byte) 0xA0, 'b', 'y', 'e'})); // close 4000
        Guarded guarded = guard(stream, chunk, 1 << 20);
        assertThat(guarded.readAll()).isEqualTo(stream);
        assertThat(guarded.violations).isEmpty();
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 3, 64, 100_000})
    @DisplayName("an invalid frame is held back; the frames before it are handed on, then the read fails with 1002")
    void invalidFrameAfterValidOnes(int chunk) {
        byte[] valid = concat(frame(0x81, "{\"type\":\"ping\"}".getBytes()), frame(0x89, new byte[3]));
        byte[] stream = concat(valid, frame(0x83, new byte[4]), frame(0x81, new byte[2]));
        Guarded guarded = guard(stream, chunk);
        assertThatThrownBy(guarded::readAll).isInstanceOfSatisfying(WsCloseException.class,
                e -> assertThat(e.closeCode()).isEqualTo(1002));
        assertThat(guarded.delivered.toByteArray()).isEqualTo(valid);
        assertThat(guarded.violations).containsExactly(1002);
    }

    @Test
    @DisplayName("each rule: reserved opcode and bits, fragmented or long control frames, one-byte close, invalid close codes, unmasked, stray continuation, a message inside a message, a frame over the limit")
    void rules() {
        assertViolation(1002, frame(0x83, new byte[0]));
        assertViolation(1002, frame(0x8F, new byte[0]));
        assertViolation(1002, frame(0xC1, new byte[0]));             // RSV1
        assertViolation(1002, frame(0x09, new byte[0]));             // ping without FIN
        assertViolation(1002, frame(0x89, new byte[126]));
        assertViolation(1002, frame(0x88, new byte[] {0x03}));
        assertViolation(1002, frame(0x88, new byte[] {0x03, (byte) 0xED})); // 1005
        assertViolation(1002, frame(0x88, new byte[] {0x13, (byte) 0x88})); // 5000
        assertViolation(1002, new byte[] {(byte) 0x81, 0x00});        // unmasked
        assertViolation(1002, frame(0x80, new byte[1]));             // continuation of nothing
        assertViolation(1002, concat(frame(0x01, new byte[1]), frame(0x81, new byte[1])));
        assertViolation(1009, frame(0x82, new byte[1025]));          // the limit below is 1024
        assertThat(FrameGuard.validCloseCode(1000)).isTrue();
        assertThat(FrameGuard.validCloseCode(1013)).isTrue();
        assertThat(FrameGuard.validCloseCode(4999)).isTrue();
        assertThat(FrameGuard.validCloseCode(1004)).isFalse();
        assertThat(FrameGuard.validCloseCode(2999)).isFalse();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void assertViolation(int code, byte[] stream) {
        for (int chunk : new int[] {1, 4, stream.length}) {
            Guarded guarded = guard(stream, chunk);
            assertThatThrownBy(guarded::readAll).isInstanceOfSatisfying(WsCloseException.class,
                    e -> assertThat(e.closeCode()).isEqualTo(code));
        }
    }

    /** A guard over {@code stream} arriving in chunks of {@code chunk} bytes, with a 1 KiB data frame limit. */
    private static Guarded guard(byte[] stream, int chunk) {
        return guard(stream, chunk, 1024);
    }

    private static Guarded guard(byte[] stream, int chunk, int maxFrameLength) {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < stream.length; i += chunk) {
            chunks.add(Arrays.copyOfRange(stream, i, Math.min(stream.length, i + chunk)));
        }
        var it = chunks.iterator();
        Guarded guarded = new Guarded();
        guarded.guard = new FrameGuard(DataReader.create(() -> it.hasNext() ? it.next() : null), maxFrameLength,
                e -> guarded.violations.add(e.closeCode()));
        return guarded;
    }

    private static final class Guarded {
        FrameGuard guard;
        final ByteArrayOutputStream delivered = new ByteArrayOutputStream();
        final List<Integer> violations = new ArrayList<>();

        byte[] readAll() {
            for (byte[] bytes = guard.get(); bytes != null; bytes = guard.get()) {
                delivered.writeBytes(bytes);
            }
            return delivered.toByteArray();
        }
    }

    /** A masked client frame. */
    private static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        out.writeBytes(MASK);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ MASK[i % 4]);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
