package io.listsync.server.categories;

/**
 * A category as the API shows it.
 */
public record Category(String id, String listId, String name, int position) {
}
