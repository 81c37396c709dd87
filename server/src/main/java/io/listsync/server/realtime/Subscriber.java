package io.listsync.server.realtime;

import io.listsync.broker.ListEvent;

/**
 * What a {@link ListChannel} pushes to: one socket watching the list. The channel calls these under its own lock,
 * in version order, and never waits on them (each socket has its own outbox).
 */
interface Subscriber {

    /** The user the socket belongs to, for access checks. */
    String userId();

    /** The next in-order event of the list. */
    void deliver(ListEvent event);

    /** The channel cannot give a gap-free stream up to {@code version}: the client refetches. */
    void resync(long version);

    /** The socket has been sent everything up to {@code sentUpTo} (its replay); from now on it gets live events. */
    void goLive(long sentUpTo);

    /** Access ended (the member was removed, the list deleted): closes with {@code code}. */
    void revoke(int code, String reason);
}
