/**
 * Warming the connection path before the listener opens: see {@link io.listsync.server.warmup.ConnectionWarmUp}.
 */
package io.listsync.server.warmup;
