/**
 * Users: their table and lookups.
 */
package io.listsync.server.users;
