package io.listsync.broker.redis;

import io.listsync.broker.BrokerException;

/**
 * Redis is reachable but can never work with these settings (no such sentinel master, a standalone URI that points
 * at a cluster node, ...). At start-up it stops the server with its message; later it is logged as an error.
 */
final class RedisMisconfiguredException extends BrokerException {

    RedisMisconfiguredException(String message) {
        super(message);
    }
}
