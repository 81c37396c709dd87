package io.listsync.server.users;

/**
 * A user as the API shows it.
 */
public record User(String id, String email, String displayName) {
}
