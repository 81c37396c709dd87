/**
 * The one step from a committed transaction to the broker: {@link io.listsync.server.delivery.Delivery} publishes
 * after commit (change events, access notices, and the {@code list_added} / {@code list_removed} only the writer knows of) and its relay republishes from the event
 * log what the broker never acknowledged. It is told what committed through the ports of {@code changes} and
 * {@code lists}, and calls nothing above it.
 * <pre>
 *   REST ─▶ changes.ListChanges (one transaction + event log) ─▶ delivery.Delivery ─▶ broker ─▶ realtime
 * </pre>
 */
package io.listsync.server.delivery;
