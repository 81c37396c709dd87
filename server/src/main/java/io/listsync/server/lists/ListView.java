package io.listsync.server.lists;

import io.listsync.server.access.Role;

import java.time.Instant;

/**
 * A list as the API shows it; {@code role} is the caller's. {@code itemCount} and {@code checkedCount} count all of
 * the list's items, read in the same transaction as the rest, so they always match {@code version}.
 */
public record ListView(String id, String name, Role role, long version, Instant createdAt, Instant updatedAt,
                       long itemCount, long checkedCount) {

    /** The same list as a change will leave it once committed: at {@code version}, changed at {@code updatedAt}. */
    public ListView at(long version, Instant updatedAt) {
        return new ListView(id, name, role, version, createdAt, updatedAt, itemCount, checkedCount);
    }
}
