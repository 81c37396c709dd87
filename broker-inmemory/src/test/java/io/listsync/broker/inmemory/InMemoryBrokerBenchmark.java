package io.listsync.broker.inmemory;

import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.kit.BrokerBenchmark;
import io.listsync.broker.spi.BrokerSettings;

/**
 * Publish-to-listener latency and throughput of the in-memory broker. Run with
 * {@code mvn -B -pl broker-inmemory -am -Pbenchmark -DskipTests verify}.
 */
public final class InMemoryBrokerBenchmark {

    private InMemoryBrokerBenchmark() {
    }

    public static void main(String[] args) {
        BrokerBenchmark.run("inmemory", () -> ListEventBrokers.create("inmemory", BrokerSettings.empty()), System.out);
    }
}
