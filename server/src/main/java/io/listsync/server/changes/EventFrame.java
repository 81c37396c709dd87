package io.listsync.server.changes;

/**
 * The WebSocket frame of a change event, in the contract's field order. {@code ts} stays last: every receiving
 * instance reads it from the frame's tail for its delivery-latency meter ({@code realtime.CommitTime}); anywhere else
 * it costs a full parse of each frame.
 */
record EventFrame(String type, String listId, long version, Object data, String actorId, String ts) {
}
