package io.listsync.server.realtime;

import io.listsync.broker.ListEvent;
import io.listsync.broker.ListEventBroker;
import io.listsync.broker.ListEventListener;
import io.listsync.broker.Subscription;
import io.listsync.server.channels.AccessNotice;
import io.listsync.server.channels.Topics;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One list's fan-out on this instance: the single broker subscription for the list, shared by all local sockets
 * watching it, and the place where the list's events are put in version order.
 *
 * <p>Events can reach an instance out of order (two instances publish concurrently) or not at all (pub/sub is
 * at-most-once). The channel hands sockets only the next version: an event that skips ahead is held back while
 * the missing versions are read from the durable event log, which always has them because a version commits
 * only after the one before it. Duplicates (a version already passed on) are dropped. Each event's frame was
 * serialized once by its publisher; the same string is queued to every socket.
 *
 * <p>Access notices (a member removed, the list deleted) come through the same subscription. They cannot be lost:
 * whenever the channel may have missed something (its subscription dropped events, or the broker was away) it
 * re-reads the list's members and version from the database and closes the sockets that lost access.
 *
 * <p>All state is guarded by the channel's monitor; nothing under it blocks (sockets have their own outboxes,
 * log reads run on the executor). The channel knows nothing above it: it pushes to {@link Subscriber}s.
 */
final class ListChannel implements ListEventListener {

    /** What a channel is built with. */
    record Deps(ListEventBroker broker, ListHistory history, RealtimeMetrics metrics, Executor executor,
                ScheduledExecutorService timer) {
    }

    private static final System.Logger LOG = System.getLogger(ListChannel.class.getName());
    /** Out-of-order events held back at most; beyond this every socket is told to resync. */
    private static final int MAX_PENDING = 10_000;

    private final String listId;
    private final Deps deps;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final Set<Subscriber> sockets = new LinkedHashSet<>();
    private final TreeMap<Long, ListEvent> pending = new TreeMap<>();
    private Subscription subscription;
    private boolean opened;
    private boolean closed;
    /** The last version handed to sockets; -1 until the baseline is read. */
    private long dispatched = -1;
    private long repairTarget;
    private boolean repairScheduled;

    ListChannel(String listId, Deps deps) {
        this.listId = listId;
        this.deps = deps;
    }

    String listId() {
        return listId;
    }

    /** Adds a socket; false when the channel was already closed (the caller makes a new one). */
    synchronized boolean add(Subscriber socket) {
        if (closed) {
            return false;
        }
        sockets.add(socket);
        return true;
    }

    /**
     * Subscribes (once) and reads the baseline version. When this returns, every event committed after the
     * baseline reaches the channel. When either fails the channel closes (its joiners are refused and the next
     * one makes a new channel): a channel without a baseline would hold every event back for ever.
     *
     * @param joinerVersion the joining socket's read of the list's version (empty: not a member, or no list); on a
     *                      new channel it is read after subscribing and doubles as the baseline, so a join costs
     *                      one query either way
     * @return what {@code joinerVersion} read
     */
    OptionalLong ensureOpen(Supplier<OptionalLong> joinerVersion) {
        lifecycle.lock();
        try {
            if (!opened) {
                return open(joinerVersion);
            }
        } finally {
            lifecycle.unlock();
        }
        return joinerVersion.get();
    }

    private OptionalLong open(Supplier<OptionalLong> joinerVersion) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the channel of list " + listId + " failed to open");
            }
        }
        OptionalLong joiner;
        long baseline;
        try {
            subscription = deps.broker().subscribe(Topics.list(listId), this);
            joiner = joinerVersion.get();
            baseline = joiner.isPresent() ? joiner.getAsLong() : deps.history().currentVersion(listId).orElse(0);
        } catch (RuntimeException e) {
            synchronized (this) {
                closed = true;
            }
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
            throw e; // closed: the registry makes a new channel for the next joiner
        }
        opened = true;
        synchronized (this) {
            dispatched = Math.max(dispatched, baseline);
            pending.headMap(dispatched, true).clear();
            drainPending();
            repairIfGap();
        }
        return joiner;
    }

    /** Removes a socket; true when it was the last one and the channel is now closed. */
    synchronized boolean remove(Subscriber socket) {
        sockets.remove(socket);
        if (sockets.isEmpty() && !closed) {
            closed = true;
            return true;
        }
        return false;
    }

    /** Releases the broker subscription of a closed channel. */
    void release() {
        lifecycle.lock();
        try {
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /** Whether the channel is closed (its last socket left, or the list was deleted). */
    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void onEvent(ListEvent event) {
        if (!AccessNotice.isNotice(event)) {
            accept(event);
            return;
        }
        switch (AccessNotice.decode(event)) {
            case AccessNotice.MemberRemoved removed -> closeUser(removed.userId());
            case AccessNotice.ListDeleted deleted -> listDeleted();
            case null -> recheck(); // a notice this version cannot read: ask the database
        }
    }

    /** The subscription dropped events, maybe a notice among them: the database says what is true now. */
    @Override
    public void onDropped(long count) {
        deps.metrics().channelRecheck();
        recheck();
    }

    /**
     * Brings sockets up to the database's version after the broker was away: events may have been missed, and so
     * may the notices that a member was removed or the list deleted, which are re-checked here.
     */
    void recheck() {
        deps.executor().execute(() -> {
            try {
                OptionalLong current = deps.history().currentVersionForCatchUp(listId);
                if (current.isEmpty()) {
                    listDeleted();
                    return;
                }
                Set<String> members = deps.history().members(listId);
                for (Subscriber socket : sockets()) {
                    if (socket.userId() != null && !members.contains(socket.userId())) {
                        socket.revoke(CloseCodes.FORBIDDEN, "removed from the list");
                    }
                }
                synchronized (this) {
                    if (current.getAsLong() > dispatched && dispatched >= 0) {
                        scheduleRepair(current.getAsLong());
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Catching up list " + listId + " failed", e);
            }
        });
    }

    /** Hands a joining socket its live stream: everything after {@code sentUpTo}, in order. */
    synchronized void goLive(Subscriber socket, long sentUpTo) {
        socket.goLive(sentUpTo);
    }

    synchronized List<Subscriber> sockets() {
        return new ArrayList<>(sockets);
    }

    /** The list was deleted: every socket closes with 4404, the channel closes and lets go of its subscription. */
    private void listDeleted() {
        List<Subscriber> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(sockets);
        }
        all.forEach(s -> s.revoke(CloseCodes.NOT_FOUND, "the list was deleted"));
        deps.executor().execute(this::release);
    }

    private void closeUser(String userId) {
        List<Subscriber> affected;
        synchronized (this) {
            affected = sockets.stream().filter(s -> userId.equals(s.userId())).toList();
        }
        affected.forEach(s -> s.revoke(CloseCodes.FORBIDDEN, "removed from the list"));
    }

    private synchronized void accept(ListEvent event) {
        if (closed) {
            return;
        }
        if (dispatched < 0) {
            pending.put(event.version(), event);
            return;
        }
        if (event.version() <= dispatched) {
            return;
        }
        if (event.version() == dispatched + 1) {
            dispatch(event);
            drainPending();
        } else {
            pending.put(event.version(), event);
            if (pending.size() > MAX_PENDING) {
                resyncAll(pending.lastKey());
                return;
            }
        }
        repairIfGap();
    }

    private void dispatch(ListEvent event) {
        dispatched = event.version();
        deps.metrics().received(event);
        for (Subscriber socket : sockets) {
            socket.deliver(event);
        }
        deps.metrics().framesQueued(sockets.size());
    }

    private void drainPending() {
        while (!pending.isEmpty() && pending.firstKey() <= dispatched + 1) {
            ListEvent next = pending.pollFirstEntry().getValue();
            if (next.version() == dispatched + 1) {
                dispatch(next);
            }
        }
    }

    private void repairIfGap() {
        if (!pending.isEmpty() && pending.firstKey() > dispatched + 1) {
            scheduleRepair(pending.firstKey() - 1);
        }
    }

    private void scheduleRepair(long upTo) {
        repairTarget = Math.max(repairTarget, upTo);
        if (!repairScheduled) {
            repairScheduled = true;
            deps.executor().execute(this::repair);
        }
    }

    /** Reads missing versions from the event log and passes them on in order. */
    private void repair() {
        long after;
        long upTo;
        synchronized (this) {
            after = dispatched;
            upTo = repairTarget;
        }
        List<ListEvent> missing;
        try {
            missing = upTo > after ? deps.history().between(listId, after, upTo) : List.of();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reading the event log of list " + listId + " failed; retrying", e);
            synchronized (this) {
                repairScheduled = false;
            }
            deps.timer().schedule(() -> {
                synchronized (this) {
                    if (!closed) {
                        scheduleRepair(upTo);
                    }
                }
            }, 1, TimeUnit.SECONDS);
            return;
        }
        synchronized (this) {
            repairScheduled = false;
            if (closed) {
                return;
            }
            deps.metrics().gapRepair();
            for (ListEvent event : missing) {
                if (event.version() == dispatched + 1) {
                    dispatch(event);
                }
            }
            if (dispatched < upTo) {
                // the log no longer has these versions: no socket can get a gap-free stream
                resyncAll(upTo);
            }
            drainPending();
            if (repairTarget > dispatched) {
                scheduleRepair(repairTarget);
            } else {
                repairIfGap();
            }
        }
    }

    private void resyncAll(long version) {
        dispatched = Math.max(dispatched, version);
        pending.headMap(dispatched, true).clear();
        for (Subscriber socket : sockets) {
            socket.resync(version);
        }
    }
}
