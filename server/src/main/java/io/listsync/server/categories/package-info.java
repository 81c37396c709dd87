/**
 * A list's categories: REST handlers, the service that changes them through {@code changes}, and their table.
 */
package io.listsync.server.categories;
