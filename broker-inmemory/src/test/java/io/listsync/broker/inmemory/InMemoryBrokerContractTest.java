package io.listsync.broker.inmemory;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.kit.ListEventBrokerContract;
import io.listsync.broker.spi.BrokerSettings;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The in-memory broker keeps the broker contract")
class InMemoryBrokerContractTest extends ListEventBrokerContract {

    @Override
    protected ListEventBroker createBroker() {
        return ListEventBrokers.create("inmemory", BrokerSettings.empty());
    }
}
