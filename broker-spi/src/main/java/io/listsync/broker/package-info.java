/**
 * The broker API the server codes against: {@link io.listsync.broker.ListEventBroker} with its guarantees, the
 * {@link io.listsync.broker.ListEvent} it carries, and {@link io.listsync.broker.ListEventBrokers}, which picks an
 * implementation by name ({@code broker.type}) through {@link java.util.ServiceLoader}. Free of Helidon, Lettuce and
 * JSON-library types.
 */
package io.listsync.broker;
