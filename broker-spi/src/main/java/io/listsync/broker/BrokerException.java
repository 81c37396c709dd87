package io.listsync.broker;

/**
 * A broker could not do what it was asked: a publish that was not accepted, a subscription the remote server
 * refused, a broker that could not start. The message says what failed and, where it helps, with which setting.
 */
public class BrokerException extends RuntimeException {

    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
