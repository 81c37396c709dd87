/**
 * A list's items: REST handlers, the service that changes them through {@code changes} (client-chosen ids,
 * field-level edits, absolute check state, positions with room), and their table.
 */
package io.listsync.server.items;
