/**
 * A list's history ({@code GET …/activity}), paged from the event log of {@code changes}; read only.
 */
package io.listsync.server.activity;
