package io.listsync.broker;

/**
 * Learns when a broker loses and regains its connection.
 *
 * <p>While a broker was {@link BrokerState#DOWN}, events published by other instances may have been lost. A server
 * therefore treats a transition back to {@link BrokerState#UP} as "every subscribed list may have a gap" and catches
 * its clients up from its durable event log. Called from a broker thread; must not block.
 */
@FunctionalInterface
public interface BrokerStateListener {

    /**
     * @param state the new state; called only on a change
     */
    void onStateChange(BrokerState state);
}
