package io.listsync.server.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written against the bytes of RFC 6455, for what a well-behaved client library cannot do:
 * send malformed frames, stop reading, or drop the TCP connection without a close frame. Reads have a timeout;
 * an HTTP response where a frame should be is reported as such.
 */
public final class RawWebSocket implements AutoCloseable {

    /** A frame from the server. */
    public record Frame(boolean fin, int opCode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public boolean isClose() {
            return opCode == 0x8;
        }

        /** The close code of a close frame (1005 when it has none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String handshake;

    private RawWebSocket(Socket socket, String handshake) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    /** Connects to {@code /api/v1/ws/lists/{listId}?{query}} and completes the handshake (101 expected). */
    public static RawWebSocket open(int port, String listId, String query) {
        return open(port, listId, query, 0);
    }

    /**
     * @param receiveBuffer the socket's receive buffer in bytes (small: a client that stops reading stalls the
     *                      server's writes soon), 0 for the default
     */
    public static RawWebSocket open(int port, String listId, String query, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            OutputStream out = socket.getOutputStream();
            out.write(upgradeRequest(port, listId, query, Base64.getEncoder().encodeToString(nonce))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());
            if (!head.startsWith("HTTP/1.1 101")) {
                socket.close();
                throw new AssertionError("upgrade refused: " + head);
            }
            return new RawWebSocket(socket, head);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HTTP request that upgrades a connection to the list socket (for clients other than this one). */
    public static String upgradeRequest(int port, String listId, String query, String key) {
        return "GET /api/v1/ws/lists/" + listId + (query.isEmpty() ? "" : "?" + query) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    public String handshake() {
        return handshake;
    }

    /** Sends a masked frame with this first byte (FIN, RSV bits, opcode) and payload. */
    public void sendFrame(int firstByte, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        int length = payload.length;
        if (length < 126) {
            frame.write(0x80 | length);
        } else if (length < 65536) {
            frame.write(0x80 | 126);
            frame.write(length >>> 8);
            frame.write(length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) length >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        sendRaw(frame.toByteArray());
    }

    /** A final text frame. */
    public void sendText(String text) {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame with this code and reason. */
    public void sendClose(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        sendFrame(0x88, payload);
    }

    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame, or null when the server ended the connection (EOF or reset); at most {@code wait}. */
    public Frame next(Duration wait) {
        try {
            socket.setSoTimeout((int) wait.toMillis());
            int first = in.read();
            if (first < 0) {
                return null;
            }
            if (first == 'H') {
                byte[] rest = in.readNBytes(Math.min(in.available(), 200));
                throw new AssertionError("the server wrote an HTTP response into the WebSocket: H"
                        + new String(rest, StandardCharsets.ISO_8859_1));
            }
            int second = readByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = ((long) readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            if ((second & 0x80) != 0) {
                throw new AssertionError("the server masked a frame");
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                throw new EOFException("connection ended inside a frame");
            }
            return new Frame((first & 0x80) != 0, first & 0x0F, payload);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + wait);
        } catch (java.net.SocketException e) {
            return null; // reset
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame that is not a ping, within 10 s. */
    public Frame nextMessage() {
        while (true) {
            Frame frame = next(Duration.ofSeconds(10));
            if (frame == null || !frame.text().equals("{\"type\":\"ping\"}")) {
                return frame;
            }
        }
    }

    /**
     * Reads until the server's close frame and returns it; null when the connection ended without one. Frames
     * before it are skipped.
     */
    public Frame awaitClose(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            Frame frame = next(Duration.ofMillis(left));
            if (frame == null || frame.isClose()) {
                return frame;
            }
        }
    }

    /** Whether the server ends the connection (EOF or reset) within {@code wait}, skipping frames before. */
    public boolean awaitEnd(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                if (next(Duration.ofMillis(left)) == null) {
                    return true;
                }
            } catch (AssertionError e) {
                return false;
            }
        }
        return false;
    }

    /** Ends the TCP connection without a close frame: FIN, or RST with {@code reset}. */
    public void drop(boolean reset) {
        try {
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection ended inside a frame header");
        }
        return b;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
