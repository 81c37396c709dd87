package io.listsync.server.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what an in-process server logs (through java.util.logging) while open, including the access log, so a
 * test can assert that something was not reported as a server failure.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Logger access = Logger.getLogger("io.listsync.access");
    private final Level accessLevel;

    public LogCapture() {
        setLevel(Level.ALL);
        accessLevel = access.getLevel();
        access.setLevel(Level.INFO);
        root.addHandler(this);
    }

    /** Access log lines so far. */
    public List<String> accessLog() {
        return records.stream().filter(r -> "io.listsync.access".equals(r.getLoggerName()))
                .map(LogRecord::getMessage).toList();
    }

    /** Every record so far, described as {@link #describe} does. */
    public List<String> all() {
        return records.stream().map(LogCapture::describe).toList();
    }

    /** Everything logged at WARNING or above, described as {@link #describe} does. */
    public List<String> problems() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogCapture::describe).toList();
    }

    /** "logger: message", then its parameters and its exception's text, if any. */
    private static String describe(LogRecord r) {
        return r.getLoggerName() + ": " + r.getMessage()
                + (r.getParameters() == null ? "" : " " + java.util.Arrays.toString(r.getParameters()))
                + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")");
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        access.setLevel(accessLevel);
    }
}
