package io.listsync.server.auth;

import io.listsync.server.users.User;

/**
 * What register, login and refresh answer.
 */
public record Session(User user, String accessToken, String refreshToken, long expiresIn) {
}
