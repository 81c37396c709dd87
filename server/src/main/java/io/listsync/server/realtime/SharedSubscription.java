package io.listsync.server.realtime;

import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventListener;
import io.listsync.broker.Subscription;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One broker subscription on this instance shared by its members (a user's sockets, the users watching a list):
 * the first member subscribes, the last one's leaving closes it for good; a registry then makes a new one for the
 * next member ({@link #join}, {@link #leave}). State is guarded by the object's monitor, which subclasses share.
 *
 * @param <M> what a member is
 */
abstract class SharedSubscription<M> implements ListEventListener {

    private final ListEventBroker broker;
    private final String topic;
    private final Executor executor;
    private final Set<M> members = new LinkedHashSet<>();
    private Subscription subscription;
    private boolean closed;

    SharedSubscription(ListEventBroker broker, String topic, Executor executor) {
        this.broker = broker;
        this.topic = topic;
        this.executor = executor;
    }

    /** Adds the member to the registry's entry for {@code key}; when this returns, it hears what is published. */
    static <K, M, S extends SharedSubscription<M>> void join(ConcurrentHashMap<K, S> registry, K key,
                                                            Function<K, S> create, M member) {
        while (true) {
            S shared = registry.computeIfAbsent(key, create);
            if (shared.add(member)) {
                return;
            }
            registry.remove(key, shared); // closed meanwhile by its last member: make a new one
        }
    }

    static <K, M, S extends SharedSubscription<M>> void leave(ConcurrentHashMap<K, S> registry, K key, M member) {
        S shared = registry.get(key);
        if (shared != null && shared.remove(member)) {
            registry.remove(key, shared);
        }
    }

    /** Right after the first member subscribed, under the monitor (may block: the joining member waits). */
    void opened() {
    }

    /** Once the last member left, under the monitor. */
    void closed() {
    }

    final synchronized boolean isClosed() {
        return closed;
    }

    final synchronized List<M> members() {
        return new ArrayList<>(members);
    }

    final synchronized boolean add(M member) {
        if (closed) {
            return false;
        }
        if (subscription == null) {
            subscription = broker.subscribe(topic, this);
            opened();
        }
        members.add(member);
        return true;
    }

    /** @return true when it was the last member: closed now */
    final synchronized boolean remove(M member) {
        if (!members.remove(member) || !members.isEmpty() || closed) {
            return false;
        }
        closed = true;
        Subscription s = subscription;
        subscription = null;
        if (s != null) {
            executor.execute(s::close);
        }
        closed();
        return true;
    }
}
