package io.listsync.server.logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * The JUL handler of the server's log ({@code logging.properties}): one line per record on standard output,
 * {@code 2026-12-07T14:50:42.123Z INFO io.listsync.access method=POST …}, the time in UTC.
 * <p>
 * Lines are gathered and written together by a background thread about every {@value #FLUSH_MILLIS} ms (the access
 * log writes a line per request: formatting it with {@code String.format} and writing it to the console from the
 * request's thread was about 5% of a busy instance's CPU). A {@code WARNING} or worse is written at once, with
 * everything before it, so what leads up to a failure is never held back; so is everything when the handler closes
 * (JUL closes it at exit). A process killed outright loses at most the last {@value #FLUSH_MILLIS} ms of
 * {@code INFO} lines.
 */
public final class ConsoleLog extends Handler {

    static final long FLUSH_MILLIS = 100;
    /** Pending text beyond this is written at once, so a burst never grows the buffer without bound. */
    private static final int MAX_PENDING_CHARS = 64 * 1024;

    private final OutputStream out;
    /** Guards {@link #pending}: held only to append a line or to take the text. */
    private final ReentrantLock lock = new ReentrantLock();
    /** One writer at a time, so lines reach the output in the order they were taken. */
    private final ReentrantLock writing = new ReentrantLock();
    private final Formatter messages = new SimpleFormatter();
    private StringBuilder pending = new StringBuilder(8192);
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText = "";
    private volatile boolean closed;

    /** As JUL creates it: standard output, flushed by a daemon thread. */
    public ConsoleLog() {
        this(new FileOutputStream(FileDescriptor.out), Duration.ofMillis(FLUSH_MILLIS));
    }

    ConsoleLog(OutputStream out, Duration flushEvery) {
        this.out = out;
        setLevel(Level.ALL);
        Thread.ofPlatform().daemon().name("listsync-log-flush").start(() -> {
            long due = System.nanoTime() + flushEvery.toNanos();
            while (!closed) {
                long left = due - System.nanoTime();
                if (left > 0) {
                    LockSupport.parkNanos(left); // may return early: the loop waits out the rest
                    continue;
                }
                flush();
                due += flushEvery.toNanos();
            }
        });
    }

    @Override
    public void publish(LogRecord record) {
        if (closed || !isLoggable(record)) {
            return;
        }
        boolean urgent = record.getLevel().intValue() >= Level.WARNING.intValue();
        lock.lock();
        try {
            appendLine(record);
            if (!urgent && pending.length() < MAX_PENDING_CHARS) {
                return;
            }
        } finally {
            lock.unlock();
        }
        flush();
    }

    /** Writes what is pending, in order; those logging meanwhile wait only for the text to be taken. */
    @Override
    public void flush() {
        writing.lock();
        try {
            String text;
            lock.lock();
            try {
                if (pending.isEmpty()) {
                    return;
                }
                text = pending.toString();
                pending.setLength(0);
            } finally {
                lock.unlock();
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            reportError("Writing the log failed", e, ErrorManager.WRITE_FAILURE);
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void close() {
        closed = true; // first: a line published meanwhile is refused, not left behind unwritten
        flush();
    }

    private void appendLine(LogRecord record) {
        long millis = record.getMillis();
        appendTime(millis);
        pending.append(record.getLevel().getName()).append(' ').append(record.getLoggerName()).append(' ')
                .append(messages.formatMessage(record));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            pending.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        pending.append(System.lineSeparator());
    }

    /** {@code 2026-12-07T14:50:42.123Z }: the text up to the second is kept, as a busy log repeats it. */
    private void appendTime(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedSecondText = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).toString();
            if (cachedSecondText.length() == 16) {
                cachedSecondText += ":00"; // LocalDateTime leaves out a zero second
            }
        }
        int ms = (int) Math.floorMod(millis, 1000);
        pending.append(cachedSecondText).append('.')
                .append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10))
                .append("Z ");
    }
}
