package io.listsync.server.realtime;

import java.util.List;

/**
 * WebSocket close codes the server uses, as documented in the contract and the README.
 */
public final class CloseCodes {

    /** The server is shutting down: reconnect (to another instance). */
    public static final int GOING_AWAY = 1001;
    /**
     * The client broke the WebSocket protocol (reserved opcode, fragmented or oversized control frame, bad close
     * payload); sent by the transport, see {@code realtime.transport.FrameGuard}.
     */
    public static final int PROTOCOL_ERROR = 1002;
    /** A frame that is not valid JSON of a known type. */
    public static final int UNSUPPORTED = 1003;
    /** A frame over the size limit. */
    public static final int TOO_BIG = 1009;
    /** The server could not read the database or reach the broker while the socket joined; reconnect. */
    public static final int SERVER_ERROR = 1011;
    /** The user or the client address holds as many sockets as allowed on this instance; retry later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** Missing, invalid or expired token; reconnect with a fresh one. */
    public static final int UNAUTHORIZED = 4401;
    /** The caller was removed from the list. */
    public static final int FORBIDDEN = 4403;
    /** No such list, the caller is not a member, or the list was deleted. */
    public static final int NOT_FOUND = 4404;
    /** Two pings went unanswered. */
    public static final int PING_TIMEOUT = 4408;
    /** The socket stayed too slow to keep up even after a resync; reconnect with {@code since}. */
    public static final int TOO_SLOW = 4429;

    private CloseCodes() {
    }

    /** Every code above: the server counts closes by these (and nothing else), see {@code RealtimeMetrics}. */
    public static final List<Integer> ALL = List.of(GOING_AWAY, PROTOCOL_ERROR, UNSUPPORTED,
            TOO_BIG, SERVER_ERROR, TRY_AGAIN_LATER, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, PING_TIMEOUT, TOO_SLOW);
}
