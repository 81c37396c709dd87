/**
 * ListSync's server: {@link io.listsync.server.ListSync} wires the features below from settings, {@link
 * io.listsync.server.ListSyncServer} puts them on one Helidon port, {@link io.listsync.server.Main} starts it. Every
 * change takes one path: a REST handler, one transaction in {@code changes}, {@code delivery} after commit, the broker,
 * and each instance's {@code realtime} fan-out to its sockets.
 */
package io.listsync.server;
