package io.listsync.server.realtime.transport;

import io.helidon.common.buffers.DataReader;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsCloseException;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The bytes a client sends, checked frame by frame against RFC 6455, including what Helidon 4.5's
 * {@code WsConnection} does not check: reserved opcodes (Helidon answers them with an HTTP 500 written into the
 * open socket), fragmented or oversized control frames (ignored), a close frame with a one-byte payload (1011 with
 * an internal error text), invalid close codes, and a new data message inside a fragmented one. What Helidon does
 * check (reserved bits, masking, frame size, a stray continuation) is checked here first, so that every violation
 * takes the same path.
 *
 * <p>It sits between the socket and Helidon's frame reader: bytes of valid frames pass through unchanged; the
 * first invalid frame is never handed on. The read that would need it first tells {@code onViolation} (on the
 * connection's thread, after every earlier frame was handled, so the socket can queue its close behind what it
 * already queued), then throws {@link WsCloseException}, which makes Helidon end the connection (writing a close
 * frame with that code, unless one was written already). Only frame headers (and the two code bytes of a close
 * frame) are looked at; payloads are skipped by count.
 */
final class FrameGuard implements Supplier<byte[]> {

    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private enum Part { FIRST_BYTE, LENGTH_BYTE, EXTENDED_LENGTH, MASKING_KEY, PAYLOAD }

    private final DataReader source;
    private final long maxFrameLength;
    private final Consumer<WsCloseException> onViolation;
    private WsCloseException violation;

    private Part part = Part.FIRST_BYTE;
    private int opCode;
    private boolean fin;
    private long length;
    private int headerBytesLeft;
    private final int[] maskingKey = new int[4];
    private long payloadRead;
    private int closeCode;
    private boolean insideFragmentedMessage;

    /**
     * @param maxFrameLength the largest payload a data frame may have (larger: 1009)
     */
    FrameGuard(DataReader source, long maxFrameLength, Consumer<WsCloseException> onViolation) {
        this.source = source;
        this.maxFrameLength = maxFrameLength;
        this.onViolation = onViolation;
    }

    @Override
    public byte[] get() {
        if (violation != null) {
            throw reached();
        }
        byte[] chunk;
        try {
            source.ensureAvailable();
            chunk = source.readBytes(source.available());
        } catch (DataReader.InsufficientDataAvailableException e) {
            return null; // end of stream
        }
        int valid = scan(chunk);
        if (violation == null) {
            return chunk;
        }
        if (valid == 0) {
            throw reached();
        }
        // hand on the valid frames first; the next read, for the invalid frame, throws
        return Arrays.copyOf(chunk, valid);
    }

    /** Helidon's reader has come to the invalid frame. */
    private WsCloseException reached() {
        onViolation.accept(violation);
        return violation;
    }

    /** Walks the chunk; returns how many leading bytes belong to frames that are not invalid. */
    private int scan(byte[] chunk) {
        int frameStart = part == Part.FIRST_BYTE ? 0 : -1; // -1: the current frame began in an earlier chunk
        int i = 0;
        while (i < chunk.length) {
            int b = chunk[i] & 0xFF;
            switch (part) {
                case FIRST_BYTE -> {
                    frameStart = i;
                    firstByte(b);
                    i++;
                }
                case LENGTH_BYTE -> {
                    lengthByte(b);
                    i++;
                }
                case EXTENDED_LENGTH -> {
                    length = (length << 8) | b;
                    i++;
                    if (--headerBytesLeft == 0) {
                        lengthKnown();
                    }
                }
                case MASKING_KEY -> {
                    maskingKey[4 - headerBytesLeft] = b;
                    i++;
                    if (--headerBytesLeft == 0) {
                        startPayload();
                    }
                }
                case PAYLOAD -> {
                    if (opCode == CLOSE && payloadRead < 2) {
                        closeCodeByte(b ^ maskingKey[(int) payloadRead]);
                        payloadRead++;
                        i++;
                    } else {
                        int n = (int) Math.min(length - payloadRead, chunk.length - i);
                        payloadRead += n;
                        i += n;
                    }
                    if (payloadRead == length) {
                        part = Part.FIRST_BYTE;
                    }
                }
            }
            if (violation != null) {
                return Math.max(frameStart, 0);
            }
        }
        return chunk.length;
    }

    private void firstByte(int b) {
        fin = (b & 0x80) != 0;
        opCode = b & 0x0F;
        part = Part.LENGTH_BYTE;
        if ((b & 0x70) != 0) {
            fail("reserved bits set; no extension was negotiated");
            return;
        }
        switch (opCode) {
            case TEXT, BINARY -> {
                if (insideFragmentedMessage) {
                    fail("a new message began inside a fragmented one");
                }
                insideFragmentedMessage = !fin;
            }
            case CONTINUATION -> {
                if (!insideFragmentedMessage) {
                    fail("continuation frame outside a fragmented message");
                }
                insideFragmentedMessage = !fin;
            }
            case CLOSE, PING, PONG -> {
                if (!fin) {
                    fail("fragmented control frame");
                }
            }
            default -> fail("reserved opcode " + opCode);
        }
    }

    private void lengthByte(int b) {
        boolean masked = (b & 0x80) != 0;
        int len = b & 0x7F;
        if (!masked) {
            fail("unmasked client frame");
        } else if (opCode >= CLOSE && len > 125) {
            fail("control frame payload over 125 bytes");
        } else if (opCode == CLOSE && len == 1) {
            fail("close frame payload of one byte");
        } else if (len == 126 || len == 127) {
            length = 0;
            headerBytesLeft = len == 126 ? 2 : 8;
            part = Part.EXTENDED_LENGTH;
        } else {
            length = len;
            lengthKnown();
        }
    }

    private void lengthKnown() {
        if (length < 0) {
            fail("negative payload length");
        } else if (length > maxFrameLength) {
            violation = new WsCloseException("frame too large", WsCloseCodes.TOO_BIG);
        } else {
            headerBytesLeft = 4;
            part = Part.MASKING_KEY;
        }
    }

    private void startPayload() {
        payloadRead = 0;
        closeCode = 0;
        part = length == 0 ? Part.FIRST_BYTE : Part.PAYLOAD;
    }

    private void closeCodeByte(int b) {
        closeCode = (closeCode << 8) | b;
        if (payloadRead == 1 && !validCloseCode(closeCode)) {
            fail("invalid close code " + closeCode);
        }
    }

    /** RFC 6455 section 7.4: codes a peer may send (1012 to 1014 are registered at IANA since). */
    static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void fail(String reason) {
        violation = new WsCloseException(reason, WsCloseCodes.PROTOCOL_ERROR);
    }
}
