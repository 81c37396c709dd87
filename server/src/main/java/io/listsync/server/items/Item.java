package io.listsync.server.items;

import java.time.Instant;

/**
 * An item as the API shows it.
 */
public record Item(String id, String listId, String name, String quantity, String note, String categoryId,
                   int position, boolean checked, Instant checkedAt, Instant createdAt, Instant updatedAt) {
}
