/**
 * The domain's one exception type, {@link io.listsync.server.errors.DomainException}: what storage and services throw
 * when they refuse something. It is the ground floor of the server: every feature may throw it, it imports nothing of
 * the server, and {@code http.ProblemHandler} alone maps it to problem+json.
 */
package io.listsync.server.errors;
