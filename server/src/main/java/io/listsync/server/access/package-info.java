/**
 * Who may do what to a list: {@link io.listsync.server.access.Role} and the checks every change and read makes
 * ({@link io.listsync.server.access.ListAccess}). Below {@code lists} and {@code changes}, so both may ask it without
 * asking each other.
 */
package io.listsync.server.access;
