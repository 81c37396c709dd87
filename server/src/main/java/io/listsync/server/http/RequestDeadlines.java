package io.listsync.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Time limits on receiving a request, which Helidon's listener does not enforce by itself (it has an idle timeout
 * for connections waiting for a request line, but none for a client that sends headers or a body a byte at a time,
 * or stops half-way):
 * <ul>
 *     <li>the <b>headers</b> must arrive within {@code server.request-header-timeout} of the request line;</li>
 *     <li>a <b>body</b> must arrive within {@code server.request-body-timeout} once the handler starts reading it.
 *     Only {@link JsonBody} reads bodies; a body no handler reads is never waited for: the answer carries
 *     {@code Connection: close} instead (see {@link #CLOSE_IF_BODY_UNREAD}).</li>
 * </ul>
 * When a limit passes, the client is sent {@code 408} (problem+json, {@code Connection: close}) and the connection
 * is closed; the request's thread then ends quietly ({@link ConnectionEnded}), and the access log shows 408.
 *
 * <p>Helidon reads a connection's requests and runs their handlers on that connection's one virtual thread, so the
 * request being received is found through a thread-local, set when its request line arrives.
 */
public final class RequestDeadlines implements Http1ConnectionListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RequestDeadlines.class.getName());
    private static final ThreadLocal<Request> CURRENT = new ThreadLocal<>();

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final ScheduledThreadPoolExecutor timer;

    public RequestDeadlines(Duration headerTimeout, Duration bodyTimeout) {
        this.headerTimeout = headerTimeout;
        this.bodyTimeout = bodyTimeout;
        this.timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("listsync-request-deadlines").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        Request request = new Request(this, ctx);
        CURRENT.set(request);
        request.arm(headerTimeout, "headers");
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Request request = CURRENT.get();
        if (request != null && request.ctx == ctx) {
            request.disarm();
        }
    }

    /**
     * Runs {@code read} (reading the current request's body) under the body deadline.
     *
     * @throws ConnectionEnded when the deadline passed (the client was answered 408 and the connection closed)
     */
    public static <T> T readBody(Supplier<T> read) {
        Request request = CURRENT.get();
        if (request == null) {
            return read.get();
        }
        request.arm(request.deadlines.bodyTimeout, "body");
        try {
            return read.get();
        } catch (RuntimeException e) {
            if (request.timedOut) {
                throw new ConnectionEnded(408, "request body not received within " + request.deadlines.bodyTimeout, e);
            }
            throw e;
        } finally {
            request.disarm();
        }
    }

    /**
     * A filter that makes the answer close the connection when the request's body was not read by the handler,
     * instead of Helidon reading (and waiting for) the rest of it to keep the connection alive.
     */
    public static final Filter CLOSE_IF_BODY_UNREAD = (chain, req, res) -> {
        res.beforeSend(() -> {
            if (req.content().hasEntity() && !req.content().consumed()) {
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
        });
        chain.proceed();
    };

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void timeOut(Request request, String phase) {
        Duration limit = phase.equals("headers") ? headerTimeout : bodyTimeout;
        LOG.log(Level.DEBUG, () -> "Request " + phase + " not received within " + limit + " from "
                + request.ctx.remotePeer().address() + "; answered 408 and closed");
        String problem = "{\"type\":\"" + Problem.TYPE_BASE + "request-timeout\",\"title\":\"Request timeout\","
                + "\"status\":408,\"detail\":\"The request " + phase + " did not arrive within " + limit + "\"}";
        byte[] body = problem.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            request.ctx.dataWriter().writeNow(BufferData.create(head), BufferData.create(body));
        } catch (RuntimeException gone) {
            // the client may be gone already; closing is what matters
        }
        try {
            request.ctx.serverSocket().close();
        } catch (RuntimeException alreadyClosed) {
            // nothing left to release
        }
    }

    /** One request on its way in, with at most one deadline pending. */
    private static final class Request {
        private final RequestDeadlines deadlines;
        private final ConnectionContext ctx;
        private ScheduledFuture<?> pending;
        private Object current;
        private volatile boolean timedOut;

        private Request(RequestDeadlines deadlines, ConnectionContext ctx) {
            this.deadlines = deadlines;
            this.ctx = ctx;
        }

        private synchronized void arm(Duration limit, String phase) {
            disarm();
            Object deadline = new Object();
            pending = deadlines.timer.schedule(() -> {
                if (expire(deadline)) {
                    deadlines.timeOut(this, phase);
                }
            }, limit.toNanos(), TimeUnit.NANOSECONDS);
            current = deadline;
        }

        private synchronized void disarm() {
            current = null;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }

        /** Whether {@code deadline} is still the armed one; if so, the request has now timed out. */
        private synchronized boolean expire(Object deadline) {
            if (current != deadline) {
                return false; // disarmed meanwhile: what it waited for arrived just in time
            }
            timedOut = true;
            current = null;
            return true;
        }
    }

    /**
     * The request's connection was closed, by a deadline or by the client, before its body arrived: there is
     * nobody to answer. Helidon lets this exception end the connection without an error response or a log entry;
     * the access log records {@link #status()}.
     */
    public static final class ConnectionEnded extends CloseConnectionException {
        private final int status;

        public ConnectionEnded(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The status the access log shows: 408 for a deadline (the client got it), 400 for a client that left. */
        public int status() {
            return status;
        }
    }
}
