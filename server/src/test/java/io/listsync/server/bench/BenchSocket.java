package io.listsync.server.bench;

import java.net.http.WebSocket;
import java.time.Instant;
import java.time.LocalDate;
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
    private volatile java.util.function.Consumer<String> leanSender;
    private volatile Runnable leanCloser;
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
        String type = type(frame);
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
        if (leanSender != null) {
            leanSender.accept(text);
            return;
        }
        WebSocket w = ws;
        sending = sending.thenCompose(x -> w.sendText(text, true)).exceptionally(t -> null);
    }

    /** For {@link LeanWebSockets}: how to send and how to close, instead of a JDK WebSocket. */
    void attach(java.util.function.Consumer<String> sender, Runnable closer) {
        this.leanSender = sender;
        this.leanCloser = closer;
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
        if (leanCloser != null) {
            leanCloser.run();
            return;
        }
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

    /** The frame's type; the common ones without allocating. */
    private static String type(String frame) {
        if (!frame.startsWith("{\"type\":\"")) {
            return "";
        }
        if (frame.startsWith("item_", 9)) {
            return "item_";
        }
        int end = frame.indexOf('"', 9);
        return end > 9 ? frame.substring(9, end) : "";
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

    /** Milliseconds since the epoch of the frame's {@code ts} ({@code yyyy-MM-ddTHH:mm:ss.SSSZ}), or -1. */
    static long tsMillis(String frame) {
        int i = frame.lastIndexOf("\"ts\":\"");
        if (i < 0 || i + 6 + 24 > frame.length()) {
            return -1;
        }
        int p = i + 6;
        if (frame.charAt(p + 23) != 'Z' || frame.charAt(p + 19) != '.') {
            String text = frame.substring(p, frame.indexOf('"', p));
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (RuntimeException e) {
                return -1;
            }
        }
        int year = digits(frame, p, 4);
        int month = digits(frame, p + 5, 2);
        int day = digits(frame, p + 8, 2);
        long days = LocalDate.of(year, month, day).toEpochDay();
        long seconds = days * 86_400L + digits(frame, p + 11, 2) * 3600L + digits(frame, p + 14, 2) * 60L
                + digits(frame, p + 17, 2);
        return seconds * 1000 + digits(frame, p + 20, 3);
    }

    private static int digits(String s, int from, int count) {
        int n = 0;
        for (int k = 0; k < count; k++) {
            n = n * 10 + (s.charAt(from + k) - '0');
        }
        return n;
    }
}
