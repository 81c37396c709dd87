package io.listsync.server.bench;

import io.listsync.broker.BrokerState;
import io.listsync.broker.BrokerStateListener;
import io.listsync.broker.BrokerStats;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventListener;
import io.listsync.broker.Subscription;
import io.listsync.broker.spi.BrokerSettings;
import io.listsync.broker.spi.ListEventBrokerProvider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A broker that drops every event: "real-time publishing off", for the mutation-overhead scenario. The server
 * finds it through {@link java.util.ServiceLoader} when the jar {@link #jar} writes is on its class path and
 * {@code BROKER_TYPE=bench-noop}. (The change still goes to the event log inside the transaction: that is the
 * continuity feature, not publishing.)
 */
public final class NoopBroker implements ListEventBroker {

    /** The provider the server loads. */
    public static final class Provider implements ListEventBrokerProvider {
        @Override
        public String name() {
            return "bench-noop";
        }

        @Override
        public ListEventBroker create(BrokerSettings settings) {
            return new NoopBroker();
        }
    }

    @Override
    public CompletionStage<Void> publish(ListEvent event) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription subscribe(String listId, ListEventListener listener) {
        return new Subscription() {
            @Override
            public String listId() {
                return listId;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public BrokerState state() {
        return BrokerState.UP;
    }

    @Override
    public void onStateChange(BrokerStateListener listener) {
    }

    @Override
    public BrokerStats stats() {
        return new BrokerStats(0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public String name() {
        return "bench-noop";
    }

    @Override
    public void close() {
    }

    /** Writes {@code noop-broker.jar} (these classes and their service entry) under {@code dir}. */
    static Path jar(Path dir) throws IOException {
        Path jar = dir.resolve("noop-broker.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/" + ListEventBrokerProvider.class.getName()));
            out.write((Provider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            for (Class<?> type : new Class<?>[] {NoopBroker.class, Provider.class}) {
                String name = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = NoopBroker.class.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(out);
                }
            }
            // the anonymous Subscription
            String anon = NoopBroker.class.getName().replace('.', '/') + "$1.class";
            try (InputStream in = NoopBroker.class.getClassLoader().getResourceAsStream(anon)) {
                if (in != null) {
                    out.putNextEntry(new JarEntry(anon));
                    in.transferTo(out);
                }
            }
        }
        return jar;
    }
}
