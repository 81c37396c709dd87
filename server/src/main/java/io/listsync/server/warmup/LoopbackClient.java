package io.listsync.server.warmup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One short connection to the private warm-up server, spoken over a plain socket (no client library to load and
 * warm for nothing): a keep-alive {@code GET}, then on the same connection a WebSocket upgrade, one masked text frame
 * and its echo, a close and the server's answer to it, and the end of the connection.
 */
final class LoopbackClient {

    private static final int TIMEOUT_MS = 5_000;
    private static final byte[] TEXT = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private final int port;
    private final byte[] get;
    private final byte[] upgrade;

    /**
     * The requests are shaped like real clients': a query string (every socket sends its {@code ?token=}) and the
     * headers browsers send. C2 compiles from the warm-up's profile and leaves out the branches it never took; a
     * real request that takes one deoptimizes. Without a query, Helidon's {@code HttpPrologue.create} did so on
     * nearly every upgrade of a reconnect storm (2,089 and 4,399 times for 5,000 sockets, in two of three runs).
     */
    LoopbackClient(int port, String httpPath, String wsPath) {
        this.port = port;
        this.get = ("GET " + httpPath + "?warm-up=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.upgrade = ("GET " + wsPath + "?token=warm-up HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nOrigin: http://localhost\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + "User-Agent: listsync-warm-up\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** True when every step got the answer it expects. */
    boolean connectOnce() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(get);
            if (!head(in).startsWith("HTTP/1.1 200") || !Arrays.equals(in.readNBytes(4), "warm".getBytes(StandardCharsets.US_ASCII))) {
                return false;
            }
            out.write(upgrade);
            if (!head(in).startsWith("HTTP/1.1 101")) {
                return false;
            }
            out.write(masked(0x81, TEXT));
            if (in.read() != 0x81 || in.read() != TEXT.length || !Arrays.equals(in.readNBytes(TEXT.length), TEXT)) {
                return false;
            }
            out.write(masked(0x88, new byte[] {0x03, (byte) 0xe8})); // 1000
            if (in.read() != 0x88) {
                return false;
            }
            int length = in.read(); // the server's close: its code, under 126 bytes
            if (length < 0 || in.readNBytes(length).length != length) {
                return false;
            }
            return in.read() == -1; // the server ends the connection after the close handshake
        } catch (IOException | RuntimeException e) {
            return false; // counted as failed; the warm-up never fails a start
        }
    }

    /** The response's status line and headers; the 200's body is four bytes, read by the caller. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        int last4 = 0;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            last4 = (last4 << 8) | c;
            if (last4 == 0x0d0a0d0a) { // CR LF CR LF
                return head.toString();
            }
        }
        return "";
    }

    /** A final frame of {@code opcode} with a payload under 126 bytes, masked as a client's must be. */
    private static byte[] masked(int opcode, byte[] payload) {
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) opcode;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(MASK, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ MASK[i % 4]);
        }
        return frame;
    }
}
