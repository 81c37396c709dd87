package io.listsync.server.changes;

/**
 * {@code data} of {@code item_deleted} and {@code category_deleted}: the id of what went.
 */
public record Deleted(String id) {
}
