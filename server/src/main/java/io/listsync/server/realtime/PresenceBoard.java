package io.listsync.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventListener;
import io.listsync.broker.Subscription;
import io.listsync.server.channels.Topics;
import io.listsync.server.http.Json;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Who has each list open, across instances (contract 1.1, "Presence"). Each instance announces its own viewers of
 * a list on the list's presence topic, through the same broker as everything else; every instance with presence
 * sockets on that list keeps the latest announcement of each other instance and sends its sockets the union.
 *
 * <ul>
 *     <li><b>Whole set, coalesced:</b> a change schedules one {@code presence} frame {@value #COALESCE_MS} ms later for
 *     all sockets of the list, and only if the set differs from the one last sent; a join storm of 2,000 watchers
 *     costs each socket a few frames, not 2,000. Announcements are coalesced the same way.</li>
 *     <li><b>Dead instances:</b> every instance re-announces its sets once per ping interval; an instance not heard
 *     of for two ping intervals is dropped from the set (checked every second), so the viewers of an instance that
 *     died go within two ping intervals plus a second.</li>
 *     <li><b>Loss:</b> a dropped announcement or a broker outage makes the instance ask the others to announce
 *     again.</li>
 * </ul>
 */
final class PresenceBoard implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PresenceBoard.class.getName());
    static final String TYPE = "presence";
    private static final long COALESCE_MS = 100;
    /**
     * How long the first viewer of a list on this instance waits for the other instances to say who they hold,
     * before its hello goes out with what is known (the rest follow in a presence frame). They answer after
     * {@value #COALESCE_MS} ms.
     */
    private static final long ASK_WAIT_MS = 400;

    record Viewer(String userId, String displayName) {
    }

    record Heard(List<Viewer> viewers, long atNanos) {
    }

    private final String instance = UUID.randomUUID().toString();
    private final ListEventBroker broker;
    private final Json json;
    private final ScheduledExecutorService timer;
    private final Executor executor;
    private final long staleAfterNanos;
    /** Whether other instances may hold viewers: not with the in-memory broker, whose hello never waits. */
    private final boolean spansInstances;
    private final ConcurrentHashMap<String, ListPresence> lists = new ConcurrentHashMap<>();

    PresenceBoard(ListEventBroker broker, Json json, ScheduledExecutorService timer, Executor executor,
                  Duration pingInterval) {
        this.broker = broker;
        this.json = json;
        this.timer = timer;
        this.executor = executor;
        this.staleAfterNanos = pingInterval.multipliedBy(2).toNanos();
        this.spansInstances = !"inmemory".equals(broker.name());
        long every = pingInterval.toMillis();
        timer.scheduleAtFixedRate(() -> each(p -> p.announce(false)), every, every, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> each(ListPresence::expire), 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Adds a viewer and hands {@code hello} the set it joins (a JSON array), under the list's lock, so that no
     * {@code presence} frame can reach the socket before its {@code hello}. The first viewer of a list on this
     * instance waits up to {@value #ASK_WAIT_MS} ms for the other instances' viewers (blocking its own join only).
     */
    void join(String listId, PresenceViewer viewer, Consumer<String> hello) {
        while (true) {
            ListPresence list = lists.computeIfAbsent(listId, ListPresence::new);
            if (list.add(viewer, hello)) {
                return;
            }
            lists.remove(listId, list);
        }
    }

    void leave(String listId, PresenceViewer viewer) {
        ListPresence list = lists.get(listId);
        if (list != null && list.remove(viewer)) {
            lists.remove(listId, list);
        }
    }

    /** The broker is back: events may have been lost, so every list asks the others to announce. */
    void recover() {
        each(p -> p.announce(true));
    }

    private void each(Consumer<ListPresence> action) {
        try {
            lists.values().forEach(action);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Presence upkeep failed", e);
        }
    }

    @Override
    public void close() {
        lists.values().forEach(ListPresence::release);
        lists.clear();
    }

    /** One list's presence on this instance; all state guarded by its monitor. */
    private final class ListPresence implements ListEventListener {

        private final String listId;
        private final String listIdJson;
        private final Map<PresenceViewer, Viewer> local = new IdentityHashMap<>();
        private final Map<String, Heard> others = new HashMap<>();
        private Subscription subscription;
        private boolean closed;
        private String sent = "[]";
        private boolean flushScheduled;
        private boolean announceScheduled;
        private boolean askOnAnnounce;

        ListPresence(String listId) {
            this.listId = listId;
            this.listIdJson = json.write(listId);
        }

        synchronized boolean add(PresenceViewer viewer, Consumer<String> hello) {
            if (closed) {
                return false;
            }
            if (subscription == null) {
                // first viewer here: listen, ask the others who they hold, and give them a moment to say, so
                // that hello names the viewers on other instances too (the viewer is not local yet: no
                // presence frame can reach it before its hello)
                subscription = broker.subscribe(Topics.presence(listId), this);
                if (spansInstances) {
                    publish(true);
                    awaitFirstAnswer();
                } else {
                    askOnAnnounce = true;
                }
                if (closed) {
                    return false;
                }
            }
            local.put(viewer, new Viewer(viewer.userId(), viewer.displayName()));
            String set = viewersJson();
            hello.accept(set);
            changed();
            scheduleAnnounce();
            return true;
        }

        /** Waits (releasing the lock) until another instance announced, at most {@value #ASK_WAIT_MS} ms. */
        private void awaitFirstAnswer() {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ASK_WAIT_MS);
            try {
                for (long left = end - System.nanoTime(); others.isEmpty() && !closed && left > 0;
                     left = end - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** @return true when it was the last local viewer: the list's presence here is closed */
        synchronized boolean remove(PresenceViewer viewer) {
            if (local.remove(viewer) == null || closed) {
                return false;
            }
            if (local.isEmpty()) {
                closed = true;
                publish(false); // the others drop this instance's viewers now, not after the expiry
                release();
                return true;
            }
            changed();
            scheduleAnnounce();
            return false;
        }

        @Override
        public void onEvent(ListEvent event) {
            if (!TYPE.equals(event.type())) {
                return;
            }
            JsonNode body;
            try {
                body = json.mapper().readTree(event.payload());
            } catch (IOException e) {
                return;
            }
            String from = body.path("instance").asText("");
            if (from.isEmpty() || from.equals(instance)) {
                return;
            }
            List<Viewer> viewers = new ArrayList<>();
            for (JsonNode v : body.path("viewers")) {
                viewers.add(new Viewer(v.path("userId").asText(), v.path("displayName").asText()));
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                Heard before = viewers.isEmpty() ? others.remove(from) : others.put(from,
                        new Heard(List.copyOf(viewers), System.nanoTime()));
                if (before == null || !before.viewers().equals(viewers)) {
                    changed();
                    notifyAll(); // a first viewer may be waiting for this answer
                }
                if (body.path("ask").asBoolean(false)) {
                    scheduleAnnounce();
                }
            }
        }

        @Override
        public void onDropped(long count) {
            announce(true);
        }

        synchronized void expire() {
            long now = System.nanoTime();
            if (others.values().removeIf(heard -> now - heard.atNanos() > staleAfterNanos)) {
                changed();
            }
        }

        synchronized void announce(boolean ask) {
            if (!closed) {
                askOnAnnounce |= ask;
                publish(askOnAnnounce);
                askOnAnnounce = false;
            }
        }

        synchronized void release() {
            if (subscription != null) {
                Subscription s = subscription;
                subscription = null;
                executor.execute(s::close);
            }
        }

        private void changed() {
            if (!flushScheduled) {
                flushScheduled = true;
                timer.schedule(this::flush, COALESCE_MS, TimeUnit.MILLISECONDS);
            }
        }

        private void scheduleAnnounce() {
            if (!announceScheduled) {
                announceScheduled = true;
                timer.schedule(() -> {
                    synchronized (this) {
                        announceScheduled = false;
                    }
                    announce(false);
                }, COALESCE_MS, TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void flush() {
            flushScheduled = false;
            if (closed) {
                return;
            }
            String set = viewersJson();
            if (set.equals(sent)) {
                return;
            }
            sent = set;
            String frame = Frames.presence(listIdJson, set);
            local.keySet().forEach(v -> v.presence(frame));
        }

        /** This instance's own viewers, on the list's presence topic; never blocks (publishing is async). */
        private void publish(boolean ask) {
            Map<String, Object> body = new TreeMap<>();
            body.put("instance", instance);
            body.put("ask", ask);
            body.put("viewers", distinct(new ArrayList<>(local.values())));
            try {
                broker.publish(new ListEvent(Topics.presence(listId), TYPE, 0, json.write(body)))
                        .exceptionally(failure -> null); // the next announcement, one ping interval on, repeats it
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Announcing presence of list " + listId + " failed: " + e);
            }
        }

        /** Everyone here and elsewhere, each user once, in a stable order (so equal sets serialize equally). */
        private String viewersJson() {
            List<Viewer> all = new ArrayList<>(local.values());
            others.values().forEach(heard -> all.addAll(heard.viewers()));
            return json.write(distinct(all));
        }
    }

    private static List<Viewer> distinct(List<Viewer> viewers) {
        Map<String, Viewer> byUser = new TreeMap<>();
        viewers.forEach(v -> byUser.putIfAbsent(v.userId(), v));
        List<Viewer> sorted = new ArrayList<>(byUser.values());
        sorted.sort(Comparator.comparing(Viewer::displayName).thenComparing(Viewer::userId));
        return sorted;
    }
}
