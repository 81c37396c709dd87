package io.listsync.server.channels;

/**
 * A frame of a user's overview feed as clients receive it ({@code {"type":"list_changed","data":{…}}}): published by
 * {@code delivery} on the user's topic, also written by {@code realtime} when it reads a list a socket missed.
 */
public record OverviewFrame(String type, Object data) {
}
