package io.listsync.broker.redis;

import io.lettuce.core.RedisURI;

/**
 * A Redis server the broker holds a pub/sub connection to: the one server (standalone), the current master
 * (sentinel), or one shard's master (cluster).
 *
 * @param id      what identifies it across topology changes: the cluster node id, or the address
 * @param address {@code host:port} (or the socket path), for logs
 * @param uri     how to connect: address, TLS, credentials and timeout; copied for each connection, never changed
 */
record RedisNode(String id, String address, RedisURI uri) {

    /** A node reached with the settings of {@code template} (TLS, credentials, timeout) at another address. */
    static RedisNode at(String id, String host, int port, RedisURI template) {
        RedisURI uri = RedisURI.builder(template).withHost(host).withPort(port).build();
        return new RedisNode(id, host + ":" + port, uri);
    }

    /** A fresh URI for one connection, named {@code clientName} in {@code CLIENT LIST}. */
    RedisURI connectionUri(String clientName) {
        RedisURI copy = RedisURI.builder(uri).build();
        copy.setClientName(clientName);
        return copy;
    }

    /** Whether {@code other} is the same server at the same address. */
    boolean sameAs(RedisNode other) {
        return other != null && id.equals(other.id) && address.equals(other.address);
    }
}
