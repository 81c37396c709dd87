/**
 * The single-node in-memory broker ({@code broker.type: inmemory}).
 */
package io.listsync.broker.inmemory;
