package io.listsync.broker.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one command to a throw-away Redis (or sentinel) on 127.0.0.1 and reads the answer: what the fixtures need to
 * build clusters, fail them over and look at them from the outside, without a client library of their own (so the
 * broker under test and the fixtures never share one). A reply is a {@code String}, a {@code Long}, {@code null}, a
 * {@code List<Object>}, or a {@link RedisError} for an error reply.
 */
public final class ThrowawayRedisCli {

    /** An error reply ({@code -ERR ...}), returned rather than thrown so callers can wait for it to go away. */
    public record RedisError(String message) {
    }

    private static final int TIMEOUT_MILLIS = 5_000;

    private ThrowawayRedisCli() {
    }

    /**
     * @throws IOException when the server cannot be reached or answers nothing in time
     */
    public static Object call(int port, String... command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String part : command) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(request.toByteArray());
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** Like {@link #call}, failing the test on an unreachable server or an error reply. */
    public static Object require(int port, String... command) {
        try {
            Object reply = call(port, command);
            if (reply instanceof RedisError error) {
                throw new AssertionError("Redis on port " + port + " answered " + String.join(" ", command) + " with "
                        + error.message());
            }
            return reply;
        } catch (IOException e) {
            throw new AssertionError("Redis on port " + port + " did not answer " + String.join(" ", command), e);
        }
    }

    /** The reply as text, or {@code null} when the server is unreachable or answered an error. */
    public static String text(int port, String... command) {
        try {
            Object reply = call(port, command);
            return reply instanceof String s ? s : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed");
        }
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> new RedisError(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length);
                in.readNBytes(2);
                yield new String(bytes, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                yield items;
            }
            default -> throw new IOException("unexpected reply type " + (char) type);
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }
}
