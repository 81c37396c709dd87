package io.listsync.server.idempotency;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.UnaryOperator;

/**
 * Holds a response's body back until {@code beforeSending} has run with it: the request's transaction commits, with
 * the answer stored, before the client can see a byte of that answer, and what is sent is what
 * {@code beforeSending} returns (the body, or another answer in its place, with the status and headers it set).
 * If it fails, nothing is sent and the connection is dropped, so the client retries (with the same key) instead of
 * trusting an answer that is not durable.
 */
final class AnswerCapture extends OutputStream {

    private final OutputStream delegate;
    private final UnaryOperator<byte[]> beforeSending;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);
    private boolean closed;

    AnswerCapture(OutputStream delegate, UnaryOperator<byte[]> beforeSending) {
        this.delegate = delegate;
        this.beforeSending = beforeSending;
    }

    @Override
    public void write(int b) {
        body.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        body.write(bytes, offset, length);
    }

    @Override
    public void flush() {
        // nothing may reach the client before close()
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        byte[] bytes;
        try {
            bytes = beforeSending.apply(body.toByteArray());
        } catch (RuntimeException e) {
            throw new IOException("The answer could not be made durable; not sending it", e);
        }
        delegate.write(bytes);
        delegate.close();
    }
}
