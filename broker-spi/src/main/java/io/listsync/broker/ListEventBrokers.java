package io.listsync.broker;

import io.listsync.broker.spi.BrokerSettings;
import io.listsync.broker.spi.ListEventBrokerProvider;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds broker providers through {@link ServiceLoader} and creates the one named in configuration.
 */
public final class ListEventBrokers {

    private static final System.Logger LOG = System.getLogger(ListEventBrokers.class.getName());

    private ListEventBrokers() {
    }

    /**
     * Creates the broker whose provider is named {@code type}.
     *
     * @throws IllegalStateException when no provider, or more than one, has that name; the message lists the names
     *                               that are available
     */
    public static ListEventBroker create(String type, BrokerSettings settings) {
        return provider(type, providers(ServiceLoader.load(ListEventBrokerProvider.class))).create(settings);
    }

    /**
     * Loads every provider that can be loaded. One that cannot (a jar on the class path missing its dependencies) is
     * logged and skipped, so it cannot stop a server that is configured for another broker.
     */
    static List<ListEventBrokerProvider> providers(ServiceLoader<ListEventBrokerProvider> loader) {
        List<ListEventBrokerProvider> loaded = new ArrayList<>();
        Iterator<ListEventBrokerProvider> candidates = loader.iterator();
        while (true) {
            try {
                if (!candidates.hasNext()) {
                    return loaded;
                }
                loaded.add(candidates.next());
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.WARNING, "Skipped a broker provider that cannot be loaded", e);
            }
        }
    }

    static ListEventBrokerProvider provider(String type, Iterable<ListEventBrokerProvider> candidates) {
        List<ListEventBrokerProvider> all = new ArrayList<>();
        candidates.forEach(all::add);
        List<ListEventBrokerProvider> matching = all.stream().filter(p -> p.name().equals(type)).toList();
        if (matching.size() == 1) {
            return matching.getFirst();
        }
        String available = all.stream().map(ListEventBrokerProvider::name)
                .collect(Collectors.toCollection(TreeSet::new)).toString();
        if (matching.isEmpty()) {
            throw new IllegalStateException("No broker named '" + type + "' (broker.type); available: " + available);
        }
        throw new IllegalStateException("More than one broker provider is named '" + type + "': "
                + matching.stream().map(p -> p.getClass().getName()).toList());
    }
}
