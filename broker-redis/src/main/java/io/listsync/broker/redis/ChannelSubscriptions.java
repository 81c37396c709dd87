package io.listsync.broker.redis;

import io.listsync.broker.support.ListenerQueue;
import io.listsync.broker.support.SubscriberRegistry;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reference-counted Redis channel subscriptions over the one pub/sub connection: a list's first local subscription
 * sends {@code SUBSCRIBE}, its last one leaving sends {@code UNSUBSCRIBE}, and any number in between cost Redis
 * nothing.
 *
 * <p>Changing a list's local subscriptions and sending its channel command happen under that list's stripe lock, so
 * commands for one channel reach Redis in the same order as the changes (a leave racing a join never leaves the
 * channel unsubscribed under a live subscriber). The commands are asynchronous; the lock is never held while
 * waiting for Redis.
 */
final class ChannelSubscriptions {

    private static final System.Logger LOG = System.getLogger(ChannelSubscriptions.class.getName());
    private static final int STRIPES = 256;
    /** Channels per SUBSCRIBE when re-subscribing, to keep each command a reasonable size. */
    private static final int CHANNELS_PER_COMMAND = 1_000;

    private final Object[] stripes = new Object[STRIPES];
    private final SubscriberRegistry registry;
    private final RedisMessages messages;
    private final RedisPubSubAsyncCommands<String, String> commands;
    /** Per subscribed list: completes when Redis confirmed its channel. */
    private final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();
    /** Lists whose UNSUBSCRIBE did not go through; Lettuce would re-subscribe them on reconnect. */
    private final Set<String> unsubscribeFailed = ConcurrentHashMap.newKeySet();

    ChannelSubscriptions(SubscriberRegistry registry, RedisMessages messages,
                         RedisPubSubAsyncCommands<String, String> commands) {
        this.registry = registry;
        this.messages = messages;
        this.commands = commands;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Registers a local subscription, subscribing the list's channel if it is the first.
     *
     * @return completes when Redis has confirmed the list's channel
     */
    CompletableFuture<Void> add(ListenerQueue queue) {
        String listId = queue.listId();
        synchronized (stripe(listId)) {
            if (!registry.add(queue)) {
                return confirmations.getOrDefault(listId, CompletableFuture.completedFuture(null));
            }
            unsubscribeFailed.remove(listId);
            CompletableFuture<Void> confirmed = commands.subscribe(messages.channel(listId)).toCompletableFuture();
            confirmations.put(listId, confirmed);
            return confirmed;
        }
    }

    /** Unregisters a local subscription, unsubscribing the list's channel if it was the last. Idempotent. */
    void remove(ListenerQueue queue) {
        String listId = queue.listId();
        synchronized (stripe(listId)) {
            if (!registry.remove(queue)) {
                return;
            }
            confirmations.remove(listId);
            commands.unsubscribe(messages.channel(listId)).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    // Reconciled on the next reconnect (see resubscribeAll); a live connection rarely refuses.
                    unsubscribeFailed.add(listId);
                    LOG.log(System.Logger.Level.DEBUG, "UNSUBSCRIBE of list {0} failed: {1}", listId, failure);
                }
            });
        }
    }

    /**
     * After a (re)connect: subscribes the channel of every list with a local subscription (Lettuce re-subscribes
     * only channels it saw confirmed, not those added while disconnected) and unsubscribes channels whose
     * UNSUBSCRIBE was lost.
     *
     * @return completes when Redis confirmed every command
     */
    CompletionStage<Void> resubscribeAll() {
        Map<Integer, List<String>> byStripe = new HashMap<>();
        for (String listId : registry.listIds()) {
            byStripe.computeIfAbsent(stripeIndex(listId), i -> new ArrayList<>()).add(listId);
        }
        for (String listId : unsubscribeFailed) {
            byStripe.computeIfAbsent(stripeIndex(listId), i -> new ArrayList<>()).add(listId);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        byStripe.forEach((index, listIds) -> {
            synchronized (stripes[index]) {
                List<String> live = new ArrayList<>();
                List<String> stale = new ArrayList<>();
                for (String listId : listIds) {
                    if (registry.contains(listId)) {
                        live.add(listId);
                    } else if (unsubscribeFailed.remove(listId)) {
                        stale.add(listId);
                    }
                }
                for (int from = 0; from < live.size(); from += CHANNELS_PER_COMMAND) {
                    List<String> chunk = live.subList(from, Math.min(live.size(), from + CHANNELS_PER_COMMAND));
                    CompletableFuture<Void> confirmed = commands.subscribe(channels(chunk)).toCompletableFuture();
                    chunk.forEach(listId -> confirmations.put(listId, confirmed));
                    sent.add(confirmed);
                }
                if (!stale.isEmpty()) {
                    sent.add(commands.unsubscribe(channels(stale)).toCompletableFuture());
                }
            }
        });
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private String[] channels(List<String> listIds) {
        return listIds.stream().map(messages::channel).toArray(String[]::new);
    }

    private Object stripe(String listId) {
        return stripes[stripeIndex(listId)];
    }

    private static int stripeIndex(String listId) {
        int hash = listId.hashCode();
        return (hash ^ (hash >>> 16)) & (STRIPES - 1);
    }
}
