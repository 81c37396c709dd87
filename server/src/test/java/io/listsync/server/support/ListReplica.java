package io.listsync.server.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client's copy of a list's items, kept the way the contract tells clients to: apply the next version, ignore a
 * repeat, refetch on a gap or a {@code resync}. Tests feed it every frame of a socket and finally compare it with a
 * fresh REST read (the convergence check).
 */
public final class ListReplica {

    private final Api api;
    private final String listId;
    private final String token;
    private final Map<String, JsonNode> items = new LinkedHashMap<>();
    private final List<Long> applied = new ArrayList<>();
    private long version;
    private int duplicates;
    private int refetches;
    private int resyncs;

    /** Starts from a REST read of the list, as a client opening the list page does. */
    public ListReplica(Api api, String listId, String token) {
        this.api = api;
        this.listId = listId;
        this.token = token;
        refetch();
    }

    /** Handles one frame from the socket. */
    public void accept(JsonNode frame) {
        String type = frame.path("type").asText();
        switch (type) {
            case "ping", "pong" -> {
            }
            case "hello" -> {
                if (frame.get("version").asLong() > version) {
                    refetch();
                }
            }
            case "resync" -> {
                resyncs++;
                refetch();
            }
            default -> event(frame);
        }
    }

    private void event(JsonNode frame) {
        long v = frame.get("version").asLong();
        if (v <= version) {
            duplicates++;
            return;
        }
        if (v != version + 1) {
            refetch();
            if (v <= version) {
                return;
            }
            if (v != version + 1) {
                throw new AssertionError("still a gap after refetch: have " + version + ", got " + v);
            }
        }
        apply(frame);
        version = v;
        applied.add(v);
    }

    private void apply(JsonNode frame) {
        JsonNode data = frame.get("data");
        switch (frame.get("type").asText()) {
            case "item_created", "item_updated", "item_checked", "item_unchecked" ->
                    items.put(data.get("id").asText(), data);
            case "item_deleted" -> items.remove(data.get("id").asText());
            case "items_bulk_deleted" -> data.get("itemIds").forEach(id -> items.remove(id.asText()));
            default -> {
                // categories and the list's name are not mirrored here
            }
        }
    }

    private void refetch() {
        refetches++;
        JsonNode snapshot = api.get("/api/v1/lists/" + listId + "/items", token).json();
        items.clear();
        snapshot.get("items").forEach(item -> items.put(item.get("id").asText(), item));
        version = snapshot.get("version").asLong();
    }

    public long version() {
        return version;
    }

    /** Versions applied from events, in the order applied. */
    public List<Long> applied() {
        return applied;
    }

    public int duplicates() {
        return duplicates;
    }

    public int refetches() {
        return refetches;
    }

    public int resyncs() {
        return resyncs;
    }

    /** The items by id, sorted, for comparing with a REST read. */
    public Map<String, JsonNode> items() {
        return new TreeMap<>(items);
    }

    /** A fresh REST read of the items, in the same form. */
    public Map<String, JsonNode> serverItems() {
        Map<String, JsonNode> server = new TreeMap<>();
        api.get("/api/v1/lists/" + listId + "/items", token).json().get("items")
                .forEach(item -> server.put(item.get("id").asText(), item));
        return server;
    }
}
