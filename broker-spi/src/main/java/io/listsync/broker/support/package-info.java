/**
 * Building blocks for broker implementations, shared by the brokers that ship with ListSync and free for third-party
 * brokers to reuse: per-subscription bounded serial dispatch ({@link io.listsync.broker.support.ListenerDispatcher}),
 * the local routing table from lists to subscriptions ({@link io.listsync.broker.support.SubscriberRegistry}), the
 * subscription handle over a queue ({@link io.listsync.broker.support.QueueSubscription}), and
 * validated settings ({@link io.listsync.broker.support.SettingsReader}). With these a broker only has to move
 * events between instances.
 */
package io.listsync.broker.support;
