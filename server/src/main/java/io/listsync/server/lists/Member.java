package io.listsync.server.lists;

import io.listsync.server.access.Role;

import io.listsync.server.users.User;

/** A member of a list with their role. */
public record Member(User user, Role role) {
}
