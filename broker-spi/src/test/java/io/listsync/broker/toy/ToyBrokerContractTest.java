package io.listsync.broker.toy;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.kit.ListEventBrokerContract;
import io.listsync.broker.spi.BrokerSettings;
import org.junit.jupiter.api.DisplayName;

@DisplayName("A toy broker found by name through ServiceLoader keeps the broker contract")
class ToyBrokerContractTest extends ListEventBrokerContract {

    @Override
    protected ListEventBroker createBroker() {
        return ListEventBrokers.create("toy", BrokerSettings.empty());
    }
}
