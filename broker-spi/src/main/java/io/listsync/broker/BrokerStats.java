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
 */
public record BrokerStats(long published, long publishFailures, long delivered, long dropped, long listenerFailures,
                          int subscriptions, int subscribedLists) {
}
