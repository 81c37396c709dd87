package io.listsync.broker;

/**
 * Whether a broker can currently deliver events between instances.
 */
public enum BrokerState {
    /** Connected: published events reach subscribers. */
    UP,
    /** Disconnected or recovering: events published meanwhile may be lost (pub/sub is at-most-once). */
    DOWN
}
