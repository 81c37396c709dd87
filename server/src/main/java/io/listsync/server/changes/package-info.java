/**
 * The one path every change to a list takes: {@link io.listsync.server.changes.ListChanges} locks the list's row
 * with the caller's role, bumps its version, applies the change, appends the event to the log, and hands the event to
 * the {@link io.listsync.server.changes.ChangePublisher} after commit. Also the event log itself and its pruning.
 */
package io.listsync.server.changes;
