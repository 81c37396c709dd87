package io.listsync.broker.redis;

import io.lettuce.core.RedisCommandExecutionException;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sorts what Redis and Lettuce fail with into what the broker does about it: retry after a topology refresh (a slot
 * moved), give up on one command (Redis refused it), refuse to start (a setting is wrong), or retry later (Redis is
 * away).
 */
final class Failures {

    /** Error prefixes that mean "ask again where and when the cluster now says", not "no". */
    private static final String[] TOPOLOGY_ERRORS = {"MOVED", "ASK", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN",
            "LOADING", "READONLY"};
    /** What a Redis that will never accept these settings answers. */
    private static final String[] SETUP_ERRORS = {"WRONGPASS", "NOAUTH", "NOPERM", "ERR AUTH", "INVALIDPASSWORD",
            "ERR CLIENT SENT AUTH", "ERR THIS INSTANCE HAS CLUSTER SUPPORT DISABLED"};

    private Failures() {
    }

    /** The failure inside the wrappers futures add. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Redis answered with an error that is about the cluster's topology: refresh it and try again. */
    static boolean isTopologyChange(Throwable failure) {
        Throwable error = unwrap(failure);
        return error instanceof RedisCommandExecutionException && startsWithAny(error.getMessage(), TOPOLOGY_ERRORS);
    }

    /** Redis answered no to a command (for example {@code NOPERM}), for a reason a retry cannot change. */
    static boolean isRefusal(Throwable failure) {
        Throwable error = unwrap(failure);
        return error instanceof RedisCommandExecutionException && !isTopologyChange(error);
    }

    /**
     * The settings can never work against this Redis: a wrong password or user, a user without the needed
     * permissions, a certificate that is not trusted, a cluster URI for a Redis without cluster support, a master
     * name no sentinel knows.
     */
    static boolean isMisconfiguration(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisMisconfiguredException || cause instanceof javax.net.ssl.SSLException) {
                return true; // a TLS handshake that fails now fails every time: a certificate or URI to fix
            }
            if (cause instanceof RedisCommandExecutionException && startsWithAny(cause.getMessage(), SETUP_ERRORS)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** The innermost message worth showing, for logs. */
    static String describe(Throwable failure) {
        Throwable deepest = unwrap(failure);
        for (Throwable cause = deepest; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                deepest = cause;
            }
        }
        String message = deepest.getMessage();
        return message == null ? deepest.getClass().getSimpleName() : message;
    }

    private static boolean startsWithAny(String message, String[] prefixes) {
        if (message == null) {
            return false;
        }
        String upper = message.toUpperCase(Locale.ROOT);
        for (String prefix : prefixes) {
            if (upper.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
