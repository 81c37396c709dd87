package io.listsync.broker.spi;

import io.listsync.broker.ListEventBroker;

/**
 * Creates one kind of {@link ListEventBroker}. Register an implementation in
 * {@code META-INF/services/io.listsync.broker.spi.ListEventBrokerProvider}; the server picks the provider whose
 * {@link #name()} equals the {@code broker.type} setting.
 */
public interface ListEventBrokerProvider {

    /**
     * The name that selects this provider in {@code broker.type}, for example {@code redis}. Lower case, unique.
     */
    String name();

    /**
     * Creates a started broker.
     *
     * @param settings the keys under {@code broker.<name>}
     * @return the broker, ready to publish and subscribe
     * @throws IllegalArgumentException when a setting is invalid; the message names the setting
     */
    ListEventBroker create(BrokerSettings settings);
}
