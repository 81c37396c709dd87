package io.listsync.server.realtime;

/**
 * A socket that asked for presence ({@code presence=true}), as the {@link PresenceBoard} sees it.
 */
interface PresenceViewer {

    String userId();

    String displayName();

    /** A {@code presence} frame (the whole set of viewers), serialized once for all sockets of the list. */
    void presence(String frame);
}
