/**
 * The WebSocket transport under the sockets: the upgrade, a guard on every frame the client sends (what
 * the protocol forbids closes with 1002), and the connection that writes frames.
 */
package io.listsync.server.realtime.transport;
