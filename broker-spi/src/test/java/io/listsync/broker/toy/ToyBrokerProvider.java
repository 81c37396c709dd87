package io.listsync.broker.toy;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.spi.BrokerSettings;
import io.listsync.broker.spi.ListEventBrokerProvider;

/** Registered in this module's test {@code META-INF/services}, selected by {@code broker.type: toy}. */
public final class ToyBrokerProvider implements ListEventBrokerProvider {

    @Override
    public String name() {
        return "toy";
    }

    @Override
    public ListEventBroker create(BrokerSettings settings) {
        return new ToyBroker();
    }
}
