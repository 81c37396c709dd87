package io.listsync.broker;

/**
 * A snapshot of a broker's counters, for metrics and health. Counters count since the broker was created and never
 * go down; the two gauges ({@code subscriptions}, {@code subscribedLists}) describe this instance right now.
 *
 * @param published         events this instance published successfully
 * @param publishFailures   publish calls that completed exceptionally
 * @param delivered         listener calls that returned normally
 * @param dropped           events not delivered to a subscription because its backlog was full (or an incoming
 *                          message could not be read); each drop shows up as a version gap at the receiver
 * @param listenerFailures  listener calls that threw
 * @param subscriptions     open subscriptions on this instance
 * @param subscribedLists   lists with at least one open subscription on this instance (for a networked broker: the
 *                          channels it holds on the remote server)
 * @param heartbeatMisses   times the broker found itself deaf: a heartbeat it published to itself did not come back
 *                          in time although its connection claimed to be up. Each one turns the broker
 *                          {@link BrokerState#DOWN} until it has re-subscribed. Zero for a broker without heartbeats
 *                          (the in-memory one cannot go deaf)
 * @param resubscriptions   times the broker re-subscribed its channels after losing them (a reconnect, a failover, a
 *                          moved shard, a heartbeat miss): each is a {@link BrokerState#DOWN} to {@link BrokerState#UP}
 *                          transition after which events may have been missed. Zero for a broker that cannot lose
 *                          its connection
 */
public record BrokerStats(long published, long publishFailures, long delivered, long dropped, long listenerFailures,
                          int subscriptions, int subscribedLists, long heartbeatMisses, long resubscriptions) {

    /**
     * Stats of a broker that has neither heartbeats nor re-subscriptions (both zero), as brokers written before
     * those counters existed report them.
     */
    public BrokerStats(long published, long publishFailures, long delivered, long dropped, long listenerFailures,
                       int subscriptions, int subscribedLists) {
        this(published, publishFailures, delivered, dropped, listenerFailures, subscriptions, subscribedLists, 0, 0);
    }
}
