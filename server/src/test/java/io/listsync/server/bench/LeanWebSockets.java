package io.listsync.server.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A lean WebSocket client for the load generator: one selector thread reads every socket and parses frames
 * itself, so that receiving 100,000 frames/s costs the box as little CPU as possible (the JDK client spends most of
 * a core on that). Only what the benchmark needs: text frames from the server, pong replies, close.
 */
final class LeanWebSockets implements AutoCloseable {

    private final Selector selector;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Conn> toRegister = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    LeanWebSockets() throws IOException {
        this.selector = Selector.open();
        this.loop = Thread.ofPlatform().name("bench-lean-ws").daemon().start(this::run);
    }

    /** Opens a socket (blocking handshake on the caller's thread) and hands its frames to {@code socket}. */
    void open(URI uri, BenchSocket socket) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
        channel.socket().setTcpNoDelay(true);
        String key = Base64.getEncoder().encodeToString(randomBytes(16));
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        writeFully(channel, ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
                + uri.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        int headerEnd;
        while ((headerEnd = headerEnd(in)) < 0) {
            if (channel.read(in) < 0) {
                throw new IOException("closed during the handshake");
            }
        }
        String head = new String(in.array(), 0, headerEnd, StandardCharsets.US_ASCII);
        if (!head.startsWith("HTTP/1.1 101")) {
            channel.close();
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
        }
        // keep what followed the headers: the first frames may already be here
        in.flip();
        in.position(headerEnd);
        in.compact();
        channel.configureBlocking(false);
        Conn conn = new Conn(channel, socket, in);
        socket.attach(conn::sendText, conn::close);
        toRegister.add(conn);
        selector.wakeup();
    }

    private void run() {
        while (running) {
            try {
                selector.select(100);
                for (Conn conn; (conn = toRegister.poll()) != null; ) {
                    conn.channel.register(selector, SelectionKey.OP_READ, conn);
                    conn.parse();
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Conn conn = (Conn) key.attachment();
                    try {
                        if (conn.channel.read(conn.in) < 0) {
                            conn.closed(1006);
                            key.cancel();
                            continue;
                        }
                        conn.parse();
                    } catch (IOException e) {
                        conn.closed(1006);
                        key.cancel();
                    }
                }
            } catch (IOException e) {
                if (running) {
                    System.out.println("lean websocket loop: " + e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        selector.close();
    }

    private static int headerEnd(ByteBuffer in) {
        byte[] a = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** One connection: its read buffer and frame parser. Touched only by the selector thread, but for sends. */
    private static final class Conn {
        final SocketChannel channel;
        final BenchSocket socket;
        ByteBuffer in;
        private boolean closed;

        Conn(SocketChannel channel, BenchSocket socket, ByteBuffer in) {
            this.channel = channel;
            this.socket = socket;
            this.in = in;
        }

        /** Handles every complete frame in the buffer. */
        void parse() throws IOException {
            in.flip();
            while (in.remaining() >= 2) {
                int start = in.position();
                int b0 = in.get() & 0xFF;
                int b1 = in.get() & 0xFF;
                long length = b1 & 0x7F;
                if (length == 126) {
                    if (in.remaining() < 2) {
                        in.position(start);
                        break;
                    }
                    length = in.getShort() & 0xFFFF;
                } else if (length == 127) {
                    if (in.remaining() < 8) {
                        in.position(start);
                        break;
                    }
                    length = in.getLong();
                }
                if (in.remaining() < length) {
                    in.position(start);
                    if (start == 0 && in.limit() == in.capacity()) {
                        grow((int) length + 16);
                        return;
                    }
                    break;
                }
                int opcode = b0 & 0x0F;
                byte[] payload = new byte[(int) length];
                in.get(payload);
                switch (opcode) {
                    case 1 -> socket.onText(null, new String(payload, StandardCharsets.UTF_8), true);
                    case 9 -> send(0x8A, payload);
                    case 8 -> closed(payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005);
                    default -> {
                    }
                }
            }
            in.compact();
        }

        private void grow(int needed) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
            bigger.put(in);
            in = bigger;
        }

        void sendText(String text) {
            try {
                send(0x81, text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                closed(1006);
            }
        }

        /** Client frames are masked (RFC 6455); payloads here are small. */
        private synchronized void send(int firstByte, byte[] payload) throws IOException {
            if (closed) {
                return;
            }
            ByteBuffer frame = ByteBuffer.allocate(2 + 4 + payload.length);
            frame.put((byte) firstByte);
            frame.put((byte) (0x80 | payload.length));
            byte[] mask = randomBytes(4);
            frame.put(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.put((byte) (payload[i] ^ mask[i & 3]));
            }
            frame.flip();
            writeFully(channel, frame);
        }

        void close() {
            closed(1000);
        }

        synchronized void closed(int code) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone already
            }
            socket.onClose(null, code, "");
        }
    }
}
