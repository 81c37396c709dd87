package io.listsync.server.changes;

/**
 * The WebSocket frame of a change event, in the contract's field order.
 */
record EventFrame(String type, String listId, long version, Object data, String actorId, String ts) {
}
