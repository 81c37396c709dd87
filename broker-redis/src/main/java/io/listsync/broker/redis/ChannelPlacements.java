package io.listsync.broker.redis;

import io.listsync.broker.support.ListenerQueue;
import io.listsync.broker.support.SubscriberRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Which list channel is subscribed on which {@link ShardConnection}, reference-counted: a list's first local
 * subscription subscribes its channel on the shard that owns it, its last one leaving unsubscribes it, and any number
 * in between cost Redis nothing.
 *
 * <p>A list whose owner has no open connection (Redis away, a failover in progress, a slot just moved) is
 * <em>unplaced</em>; {@link #placeAll} later subscribes it on its owner, and moves channels whose owner changed. The
 * broker is not UP while any list is unplaced.
 *
 * <p>Changing a list's local subscriptions and sending its channel commands happen under that list's stripe lock, so
 * commands for one channel reach Redis in the order of the changes (a leave racing a join never leaves a live
 * subscriber without its channel). Stripes are chosen by the channel's cluster slot, so every channel of one slot is
 * under one lock and {@link #placeAll} can send one {@code SSUBSCRIBE} per slot: a sharded subscribe may not span
 * slots ({@code CROSSSLOT}). The lock is never held while waiting for Redis.
 */
final class ChannelPlacements {

    private static final System.Logger LOG = System.getLogger(ChannelPlacements.class.getName());
    private static final int STRIPES = 256;
    /** Channels per command when (re)subscribing many at once, to keep each command a reasonable size. */
    private static final int CHANNELS_PER_COMMAND = 1_000;

    /** Where a list's channel is subscribed: on {@code shard} ({@code null}: nowhere yet), confirmed by the future. */
    private record Placement(ShardConnection shard, CompletableFuture<Void> confirmed) {
    }

    /** What one {@link #placeAll} sent: how many commands, and when Redis answered all of them. */
    record Pass(int commands, CompletableFuture<Void> answered) {
    }

    private final Object[] stripes = new Object[STRIPES];
    private final SubscriberRegistry registry;
    private final RedisMessages messages;
    private final Consumer<Throwable> placementFailed;
    private final Map<String, Placement> placements = new ConcurrentHashMap<>();
    private final Set<String> unplaced = ConcurrentHashMap.newKeySet();
    /** Lists whose UNSUBSCRIBE failed on a connection that is still open: retried by the next {@link #placeAll}. */
    private final Map<String, ShardConnection> unsubscribeFailed = new ConcurrentHashMap<>();

    /**
     * @param placementFailed told when a subscribe failed for a reason other than Redis refusing it (a moved slot, a
     *                        lost connection, a timeout): the list is unplaced again and needs a {@link #placeAll}
     */
    ChannelPlacements(SubscriberRegistry registry, RedisMessages messages, Consumer<Throwable> placementFailed) {
        this.registry = registry;
        this.messages = messages;
        this.placementFailed = placementFailed;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Registers a local subscription, subscribing the list's channel on its owner if it is the first.
     *
     * @param owner the open connection that owns a channel, or {@code null} when there is none now
     * @return completes when Redis confirmed the list's channel
     */
    CompletableFuture<Void> add(ListenerQueue queue, Function<String, ShardConnection> owner) {
        String listId = queue.listId();
        String channel = messages.channel(listId);
        synchronized (stripe(channel)) {
            if (!registry.add(queue)) {
                Placement placement = placements.get(listId);
                return placement == null ? CompletableFuture.completedFuture(null) : placement.confirmed();
            }
            unsubscribeFailed.remove(listId);
            ShardConnection shard = owner.apply(channel);
            if (shard == null) {
                CompletableFuture<Void> waiting = new CompletableFuture<>();
                placements.put(listId, new Placement(null, waiting));
                unplaced.add(listId);
                return waiting;
            }
            return send(shard, List.of(listId));
        }
    }

    /** Unregisters a local subscription, unsubscribing the list's channel if it was the last. Idempotent. */
    void remove(ListenerQueue queue) {
        String listId = queue.listId();
        String channel = messages.channel(listId);
        synchronized (stripe(channel)) {
            if (!registry.remove(queue)) {
                return;
            }
            unplaced.remove(listId);
            Placement placement = placements.remove(listId);
            if (placement != null && placement.shard() != null && placement.shard().isOpen()) {
                unsubscribe(placement.shard(), listId);
            }
        }
    }

    /**
     * Subscribes every list that has local subscriptions on the open connection of its owner, moving those whose
     * owner changed and placing those subscribed while there was none; retries failed unsubscribes. Runs on the
     * supervisor's thread.
     *
     * @param owner the open connection that owns a channel, or {@code null}
     */
    Pass placeAll(Function<String, ShardConnection> owner) {
        Map<Integer, List<String>> byStripe = new HashMap<>();
        for (String listId : registry.listIds()) {
            byStripe.computeIfAbsent(stripeIndex(messages.channel(listId)), i -> new ArrayList<>()).add(listId);
        }
        for (String listId : unsubscribeFailed.keySet()) {
            byStripe.computeIfAbsent(stripeIndex(messages.channel(listId)), i -> new ArrayList<>()).add(listId);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        byStripe.forEach((index, listIds) -> {
            synchronized (stripes[index]) {
                // per target connection, per slot, in order
                Map<ShardConnection, Map<Integer, List<String>>> toSend = new LinkedHashMap<>();
                for (String listId : listIds) {
                    if (!registry.contains(listId)) {
                        ShardConnection stale = unsubscribeFailed.remove(listId);
                        if (stale != null && stale.isOpen()) {
                            unsubscribe(stale, listId);
                        }
                        continue;
                    }
                    String channel = messages.channel(listId);
                    ShardConnection target = owner.apply(channel);
                    Placement placement = placements.get(listId);
                    ShardConnection current = placement == null ? null : placement.shard();
                    if (current != null && current == target && current.isOpen()) {
                        continue; // where it belongs
                    }
                    if (current != null && current != target && current.isOpen()) {
                        unsubscribe(current, listId); // its slot moved away from that node
                    }
                    if (target == null) {
                        CompletableFuture<Void> waiting = placement != null && placement.shard() == null
                                ? placement.confirmed() : new CompletableFuture<>();
                        placements.put(listId, new Placement(null, waiting));
                        unplaced.add(listId);
                        continue;
                    }
                    toSend.computeIfAbsent(target, t -> new LinkedHashMap<>())
                            .computeIfAbsent(Heartbeat.slot(channel), s -> new ArrayList<>()).add(listId);
                }
                toSend.forEach((target, bySlot) -> bySlot.values().forEach(slotLists -> {
                    for (int from = 0; from < slotLists.size(); from += CHANNELS_PER_COMMAND) {
                        List<String> chunk = slotLists.subList(from, Math.min(slotLists.size(),
                                from + CHANNELS_PER_COMMAND));
                        sent.add(send(target, List.copyOf(chunk)).handle((ignored, failure) -> null));
                    }
                }));
            }
        });
        return new Pass(sent.size(), CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
    }

    /**
     * Marks a list unplaced after its owner dropped its channel (the slot moved): the next {@link #placeAll}
     * subscribes it on the new owner.
     */
    void lost(String channel, ShardConnection shard) {
        String listId = messages.listId(channel);
        if (listId == null) {
            return;
        }
        synchronized (stripe(channel)) {
            Placement placement = placements.get(listId);
            if (placement != null && placement.shard() == shard && registry.contains(listId)) {
                placements.put(listId, new Placement(null, new CompletableFuture<>()));
                unplaced.add(listId);
            }
        }
    }

    /** Whether every list with local subscriptions has its channel subscribed (or being subscribed) somewhere. */
    boolean allPlaced() {
        return unplaced.isEmpty();
    }

    /** Lists with local subscriptions but no channel subscribed now. */
    int unplacedCount() {
        return unplaced.size();
    }

    /** Forgets everything, for a closing broker. */
    void clear() {
        placements.clear();
        unplaced.clear();
        unsubscribeFailed.clear();
    }

    /**
     * Subscribes the channels of {@code listIds} (all of one slot) on {@code shard} and records the placements;
     * the caller holds their stripe lock.
     */
    private CompletableFuture<Void> send(ShardConnection shard, List<String> listIds) {
        List<String> channels = listIds.stream().map(messages::channel).toList();
        CompletableFuture<Void> confirmed = shard.subscribe(channels);
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (String listId : listIds) {
            Placement previous = placements.put(listId, new Placement(shard, confirmed));
            unplaced.remove(listId);
            if (previous != null && previous.shard() == null) {
                waiters.add(previous.confirmed()); // whoever waited while the list was unplaced
            }
        }
        // The returned stage completes after the bookkeeping below, so a caller that sees it complete sees that.
        return confirmed.whenComplete((ignored, failure) -> {
            if (failure != null) {
                failed(shard, listIds, confirmed, Failures.unwrap(failure));
            } else {
                waiters.forEach(waiter -> waiter.complete(null));
            }
        });
    }

    private void failed(ShardConnection shard, List<String> listIds, CompletableFuture<Void> confirmed,
                        Throwable failure) {
        if (Failures.isRefusal(failure)) {
            // Redis said no (NOPERM, ...): retrying cannot help; subscribe() reports it to its caller
            LOG.log(System.Logger.Level.WARNING, "Redis at {0} refused to subscribe {1} list channel(s): {2}",
                    shard, listIds.size(), failure.getMessage());
            return;
        }
        int unplacedNow = 0;
        for (String listId : listIds) {
            synchronized (stripe(messages.channel(listId))) {
                Placement placement = placements.get(listId);
                if (placement != null && placement.confirmed() == confirmed && registry.contains(listId)) {
                    placements.put(listId, new Placement(null, new CompletableFuture<>()));
                    unplaced.add(listId);
                    unplacedNow++;
                }
            }
        }
        if (unplacedNow > 0) {
            placementFailed.accept(failure);
        }
    }

    private void unsubscribe(ShardConnection shard, String listId) {
        shard.unsubscribe(List.of(messages.channel(listId))).whenComplete((ignored, failure) -> {
            if (failure != null && shard.isOpen()) {
                // retried by the next placeAll; a live connection rarely refuses
                unsubscribeFailed.put(listId, shard);
                LOG.log(System.Logger.Level.DEBUG, "UNSUBSCRIBE of list {0} failed: {1}", listId, failure);
            }
        });
    }

    private Object stripe(String channel) {
        return stripes[stripeIndex(channel)];
    }

    private static int stripeIndex(String channel) {
        return Heartbeat.slot(channel) & (STRIPES - 1);
    }
}
