package io.listsync.server.changes;

import java.util.Locale;

/**
 * The kinds of change to a list that clients receive, each with its contract name.
 */
public enum EventType {
    ITEM_CREATED, ITEM_UPDATED, ITEM_DELETED, ITEM_CHECKED, ITEM_UNCHECKED, ITEMS_BULK_DELETED,
    CATEGORY_CREATED, CATEGORY_UPDATED, CATEGORY_DELETED,
    LIST_UPDATED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }
}
