package io.listsync.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) that records every frame and the close, with bounded waits.
 */
public final class WsClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final java.util.Map<JsonNode, Long> receivedAt =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final boolean answerPings;
    private volatile String closeReason;
    private WebSocket socket;

    private WsClient(boolean answerPings) {
        this.answerPings = answerPings;
    }

    /** Connects to {@code /api/v1/ws/lists/{listId}} with the given query (token, since...). */
    public static WsClient connect(TestServer server, String listId, String query) {
        return connect(server.port(), listId, query, null, true);
    }

    /** Connects to the user's own socket, {@code /api/v1/ws/me}. */
    public static WsClient connectMe(int port, String token) {
        return connectPath(port, "/api/v1/ws/me", "token=" + token, null, true);
    }

    public static WsClient connect(int port, String listId, String query, String origin, boolean answerPings) {
        return connectPath(port, "/api/v1/ws/lists/" + listId, query, origin, answerPings);
    }

    public static WsClient connectPath(int port, String path, String query, String origin, boolean answerPings) {
        return connect("127.0.0.1", port, path, query,
                origin == null ? java.util.Map.of() : java.util.Map.of("Origin", origin), answerPings);
    }

    /** Connects to {@code host} with extra request headers (an {@code X-Forwarded-For}, an {@code Origin}). */
    public static WsClient connect(String host, int port, String path, String query,
                                   java.util.Map<String, String> headers, boolean answerPings) {
        WsClient client = new WsClient(answerPings);
        WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        URI uri = URI.create("ws://" + authority + ":" + port + path
                + (query == null || query.isEmpty() ? "" : "?" + query));
        client.socket = builder.buildAsync(uri, client.new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    /** When {@code frame} (one this client returned) arrived, in {@link System#nanoTime()}. */
    public long receivedAt(JsonNode frame) {
        Long at = receivedAt.get(frame);
        if (at == null) {
            throw new IllegalArgumentException("not a frame of this client");
        }
        return at;
    }

    /** The next frame, waiting at most {@link #WAIT}. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT + (closed.isDone() ? "; closed " + closeCode() : ""));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame that is not a ping. */
    public JsonNode nextEvent() {
        while (true) {
            JsonNode frame = next();
            if (!"ping".equals(frame.path("type").asText())) {
                return frame;
            }
        }
    }

    /** The versions of the next {@code count} event frames. */
    public List<Long> nextVersions(int count) {
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            versions.add(nextEvent().get("version").asLong());
        }
        return versions;
    }

    /** Waits for a frame matching {@code condition}, collecting the frames before it. */
    public List<JsonNode> until(Predicate<JsonNode> condition) {
        List<JsonNode> seen = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            seen.add(frame);
            if (condition.test(frame)) {
                return seen;
            }
        }
    }

    /**
     * Whether a frame other than the server's keepalive ping arrives within {@code wait}; for asserting that
     * nothing does (a ping may come at any moment of its interval).
     */
    public JsonNode poll(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                JsonNode frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (frame == null || !"ping".equals(frame.path("type").asText())) {
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Waits for the server's close and returns its code. */
    public int awaitClose() {
        return awaitClose(WAIT);
    }

    /** Waits at most {@code wait} for the server's close and returns its code. */
    public int awaitClose(Duration wait) {
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not closed within " + wait + "; frames: " + frames);
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public int closeCode() {
        return closed.getNow(-1);
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode frame = JSON.readTree(text.toString());
                    if (answerPings && "ping".equals(frame.path("type").asText())) {
                        webSocket.sendText("{\"type\":\"pong\"}", true);
                    }
                    receivedAt.put(frame, System.nanoTime());
                    frames.add(frame);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
