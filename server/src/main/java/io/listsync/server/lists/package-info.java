/**
 * Lists and their members: REST handlers, the service, the table, and the {@link
 * io.listsync.server.lists.AccessNotices} port through which it tells {@code delivery} who gained or lost a list.
 */
package io.listsync.server.lists;
