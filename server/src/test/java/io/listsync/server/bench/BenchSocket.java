package io.listsync.server.bench;

import java.net.http.WebSocket;
import java.time.Instant;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One benchmark WebSocket: answers pings, and checks and times every event frame of its list.
 * The JDK calls a listener's methods one at a time, so the state needs no more than the monitor that lets the
 * main thread read it.
 */
final class BenchSocket implements WebSocket.Listener {

    private static final String PONG = "{\"type\":\"pong\"}";

    final int list;
    final int instance;
    private final Probe probe;
    final CompletableFuture<Long> hello = new CompletableFuture<>();
    private volatile WebSocket ws;
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);
    private StringBuilder partial;

    // guarded by this
    private long helloVersion = -1;
    private final BitSet seen = new BitSet();
    private long maxSeen;
    private long distinct;
    private long duplicates;
    private long outOfOrder;
    private long pings;
    private long resyncs;
    private long unexpected;
    private int closeCode = -1;

    BenchSocket(int list, int instance, Probe probe) {
        this.list = list;
        this.instance = instance;
        this.probe = probe;
    }

    /** Shared by all sockets: where latencies go. */
    interface Probe {
        /** An event frame arrived for the first time on this socket. */
        void delivered(long arrivalNanos, long arrivalMillis, String frame);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long nanos = System.nanoTime();
        long millis = System.currentTimeMillis();
        String frame;
        if (!last) {
            if (partial == null) {
                partial = new StringBuilder();
            }
            partial.append(data);
            return null;
        } else if (partial != null) {
            partial.append(data);
            frame = partial.toString();
            partial = null;
        } else {
            frame = data.toString();
        }
        // {"type":"…", …
        int end = frame.indexOf('"', 9);
        String type = end > 9 && frame.startsWith("{\"type\":\"") ? frame.substring(9, end) : "";
        switch (type) {
            case "ping" -> {
                synchronized (this) {
                    pings++;
                }
                send(PONG);
            }
            case "hello" -> {
                long v = number(frame, "\"version\":");
                synchronized (this) {
                    helloVersion = v;
                    maxSeen = v;
                }
                hello.complete(v);
            }
            case "resync" -> {
                synchronized (this) {
                    resyncs++;
                }
            }
            case "pong" -> {
            }
            default -> {
                if (type.startsWith("item_") || type.startsWith("category_") || type.startsWith("items_")
                        || type.equals("list_updated")) {
                    event(frame, nanos, millis);
                } else {
                    synchronized (this) {
                        unexpected++;
                    }
                }
            }
        }
        return null;
    }

    private void event(String frame, long nanos, long millis) {
        long v = number(frame, "\"version\":");
        boolean first;
        synchronized (this) {
            if (helloVersion < 0) {
                unexpected++;
                return;
            }
            int bit = (int) (v - helloVersion);
            if (bit <= 0 || seen.get(bit)) {
                duplicates++;
                first = false;
            } else {
                seen.set(bit);
                distinct++;
                if (v < maxSeen) {
                    outOfOrder++;
                }
                maxSeen = Math.max(maxSeen, v);
                first = true;
            }
        }
        if (first) {
            probe.delivered(nanos, millis, frame);
        }
    }

    private synchronized void send(String text) {
        WebSocket w = ws;
        sending = sending.thenCompose(x -> w.sendText(text, true)).exceptionally(t -> null);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        synchronized (this) {
            closeCode = statusCode;
        }
        hello.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        synchronized (this) {
            if (closeCode < 0) {
                closeCode = 1006;
            }
        }
        hello.completeExceptionally(error);
    }

    void abort() {
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
    }

    synchronized long distinct() {
        return distinct;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    synchronized long pings() {
        return pings;
    }

    synchronized long resyncs() {
        return resyncs;
    }

    synchronized long unexpected() {
        return unexpected;
    }

    synchronized int closeCode() {
        return closeCode;
    }

    static long number(String frame, String key) {
        int i = frame.indexOf(key);
        if (i < 0) {
            return -1;
        }
        i += key.length();
        long n = 0;
        while (i < frame.length()) {
            char c = frame.charAt(i++);
            if (c < '0' || c > '9') {
                break;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Milliseconds since the epoch of the frame's {@code ts}, or -1. */
    static long tsMillis(String frame) {
        int i = frame.lastIndexOf("\"ts\":\"");
        if (i < 0) {
            return -1;
        }
        int start = i + 6;
        int end = frame.indexOf('"', start);
        try {
            return Instant.parse(frame.substring(start, end)).toEpochMilli();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
