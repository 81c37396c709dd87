package io.listsync.server.realtime;

import io.listsync.server.http.Json;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * What every socket is built with, handed in through its constructor.
 *
 * @param settings the endpoint's limits
 * @param json     to read client frames
 * @param metrics  the real-time meters
 * @param executor for work a socket must not do on the thread that called it (a close while a channel iterates)
 * @param writers  runs each outbox drain on a fresh virtual thread. Not {@code executor}: a thread-per-task executor
 *                 records every thread it starts in a concurrent set, and with one drain per socket per event
 *                 (100,000 a second on a crowded list) adding to and removing from that set was ~13% of the server's
 *                 CPU samples
 */
record SocketTools(RealtimeSettings settings, Json json, RealtimeMetrics metrics, ExecutorService executor,
                   Executor writers) {
}
