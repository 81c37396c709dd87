package io.listsync.broker.inmemory;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.spi.BrokerSettings;
import io.listsync.broker.spi.ListEventBrokerProvider;
import io.listsync.broker.support.SettingsReader;

import java.util.Set;

/**
 * Provides the single-node {@link InMemoryListEventBroker} as {@code broker.type: inmemory}.
 *
 * <p>Settings under {@code broker.inmemory}: {@code subscription-backlog} (default {@value #DEFAULT_BACKLOG}), the
 * undelivered events one subscription may hold before newer ones are dropped.
 */
public final class InMemoryBrokerProvider implements ListEventBrokerProvider {

    static final int DEFAULT_BACKLOG = 1_000;
    static final String BACKLOG = "subscription-backlog";

    @Override
    public String name() {
        return InMemoryListEventBroker.NAME;
    }

    @Override
    public ListEventBroker create(BrokerSettings settings) {
        SettingsReader reader = new SettingsReader(name(), settings, Set.of(BACKLOG));
        return new InMemoryListEventBroker(reader.intValue(BACKLOG, DEFAULT_BACKLOG, 1, 1_000_000));
    }
}
