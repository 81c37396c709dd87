/**
 * Invite links: codes (192 bits, looked up by hash, sealed for the owner), their REST handlers and table.
 */
package io.listsync.server.invites;
