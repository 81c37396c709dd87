/**
 * The WebSocket side, one way from the broker to the sockets. {@link io.listsync.server.realtime.Realtime}
 * wires it; {@code ListHub} and {@code UserFeeds} are registries; {@code ListJoin} / {@code UserJoin} run a socket's
 * join; {@code ListChannel} (one per list per instance) puts events in version order and repairs gaps from the log;
 * {@code ListWatches} makes {@code list_changed} where overviews are open; {@code PresenceBoard} keeps who is viewing;
 * {@code Keepalive} pings and expires; each socket writes through its bounded {@code SocketOutbox}. Nothing here
 * calls back up: channels push to the {@code Subscriber} interface that sockets implement.
 */
package io.listsync.server.realtime;
