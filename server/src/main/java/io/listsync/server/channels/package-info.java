/**
 * What travels on the broker besides change events, shared by the side that publishes ({@code delivery}) and the side
 * that listens ({@code realtime}), so neither needs the other: the {@link io.listsync.server.channels.Topics} keys
 * (a list, a user's overview, a list's presence), the first-class
 * {@link io.listsync.server.channels.AccessNotice}s and the overview feed's
 * {@link io.listsync.server.channels.OverviewFrame}.
 */
package io.listsync.server.channels;
