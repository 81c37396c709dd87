package io.listsync.server.idempotency;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * Holds a response's body back until {@code beforeSending} has run with it: the request's transaction commits, with
 * the answer stored, before the client can see a byte of that answer. If it fails, nothing is sent and the
 * connection is dropped, so the client retries (with the same key) instead of trusting an answer that is not
 * durable.
 */
final class AnswerCapture extends OutputStream {

    private final OutputStream delegate;
    private final Consumer<byte[]> beforeSending;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);
    private boolean closed;

    AnswerCapture(OutputStream delegate, Consumer<byte[]> beforeSending) {
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
        byte[] bytes = body.toByteArray();
        try {
            beforeSending.accept(bytes);
        } catch (RuntimeException e) {
            throw new IOException("The answer could not be made durable; not sending it", e);
        }
        delegate.write(bytes);
        delegate.close();
    }
}
