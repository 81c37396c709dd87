package io.listsync.server.lists;

import io.listsync.server.access.Role;

import java.time.Instant;

/**
 * A list as the API shows it; {@code role} is the caller's.
 */
public record ListView(String id, String name, Role role, long version, Instant createdAt, Instant updatedAt) {
}
