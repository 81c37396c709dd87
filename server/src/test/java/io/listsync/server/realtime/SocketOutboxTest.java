package io.listsync.server.realtime;

import io.listsync.server.support.Await;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slow-consumer policy of one socket's outbox, with a sink that blocks like a full TCP buffer.
 */
class SocketOutboxTest {

    /** A socket whose writes block until released, recording what was written. */
    private static final class BlockingSink implements SocketOutbox.Sink {
        final List<String> written = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch firstWriteStarted = new CountDownLatch(1);
        volatile Integer closeCode;

        @Override
        public void send(String text) {
            firstWriteStarted.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            written.add(text);
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }
    }

    @Test
    @DisplayName("a socket that falls behind gets its backlog replaced by one resync with the newest version")
    void backlogBecomesResync() throws Exception {
        BlockingSink sink = new BlockingSink();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            SocketOutbox outbox = new SocketOutbox(sink, writers, 3, () -> { });
            assertThat(outbox.offerEvent("e1", 1)).isEqualTo(SocketOutbox.Offer.QUEUED);
            assertThat(sink.firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue(); // e1 is being written
            for (int v = 2; v <= 4; v++) {
                assertThat(outbox.offerEvent("e" + v, v)).isEqualTo(SocketOutbox.Offer.QUEUED);
            }
            assertThat(outbox.offerEvent("e5", 5)).isEqualTo(SocketOutbox.Offer.RESYNC);
            assertThat(outbox.offerEvent("e6", 6)).isEqualTo(SocketOutbox.Offer.QUEUED);
            sink.release.countDown();
            Await.until(() -> sink.written.size() == 3, Duration.ofSeconds(10));
            assertThat(sink.written).containsExactly("e1", "{\"type\":\"resync\",\"version\":5}", "e6");
        }
    }

    @Test
    @DisplayName("a burst that overflows the backlog again before the resync is written folds into that one resync, with the newest version")
    void burstFoldsIntoOneResync() throws Exception {
        BlockingSink sink = new BlockingSink();
        AtomicLong clock = new AtomicLong();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            SocketOutbox outbox = new SocketOutbox(sink, writers, 2, () -> { }, clock::get);
            outbox.offerEvent("e1", 1);
            assertThat(sink.firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
            List<SocketOutbox.Offer> offers = new java.util.ArrayList<>();
            for (int v = 2; v <= 10; v++) {
                offers.add(outbox.offerEvent("e" + v, v));
            }
            assertThat(offers).doesNotContain(SocketOutbox.Offer.STUCK);
            assertThat(outbox.isClosed()).isFalse();
            sink.release.countDown();
            Await.until(() -> sink.written.size() == 2, Duration.ofSeconds(10));
            // three overflows, one resync frame, with the newest version
            assertThat(sink.written).containsExactly("e1", "{\"type\":\"resync\",\"version\":10}");
            // the resync written, the next overflow would need one of its own; an event just queues
            assertThat(outbox.offerEvent("e11", 11)).isEqualTo(SocketOutbox.Offer.QUEUED);
            Await.until(() -> sink.written.size() == 3, Duration.ofSeconds(10));
            assertThat(sink.written.get(2)).isEqualTo("e11");
        }
    }

    @Test
    @DisplayName("a socket still overflowing when its resync has waited a second unwritten is stuck: its backlog is dropped, 4429 is the one frame written after the stuck one")
    void stuckSocketClosesWithTooSlow() throws Exception {
        BlockingSink sink = new BlockingSink();
        AtomicLong clock = new AtomicLong();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            SocketOutbox outbox = new SocketOutbox(sink, writers, 2, () -> { }, clock::get);
            outbox.offerEvent("e1", 1);
            assertThat(sink.firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
            outbox.offerEvent("e2", 2);
            outbox.offerEvent("e3", 3);
            assertThat(outbox.offerEvent("e4", 4)).isEqualTo(SocketOutbox.Offer.RESYNC);
            assertThat(outbox.offerEvent("e5", 5)).isEqualTo(SocketOutbox.Offer.QUEUED);
            assertThat(outbox.offerEvent("e6", 6)).isEqualTo(SocketOutbox.Offer.QUEUED);
            clock.addAndGet(SocketOutbox.STUCK_AFTER.toNanos() - 1);
            assertThat(outbox.offerEvent("e7", 7)).as("not yet a second").isEqualTo(SocketOutbox.Offer.RESYNC);
            outbox.offerEvent("e8", 8);
            outbox.offerEvent("e9", 9);
            clock.addAndGet(1);
            // backlog full again while the resync has waited a second unwritten: stuck
            assertThat(outbox.offerEvent("e10", 10)).isEqualTo(SocketOutbox.Offer.STUCK);
            assertThat(outbox.isClosed()).isTrue();
            assertThat(outbox.offerEvent("e11", 11)).isEqualTo(SocketOutbox.Offer.CLOSED);
            sink.release.countDown();
            Await.until(() -> sink.closeCode != null, Duration.ofSeconds(10));
            assertThat(sink.closeCode).isEqualTo(CloseCodes.TOO_SLOW);
            assertThat(sink.written).containsExactly("e1");
        }
    }

    @Test
    @DisplayName("a failed write reports the broken connection once and closes the outbox")
    void failedWrite() throws Exception {
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        SocketOutbox.Sink broken = new SocketOutbox.Sink() {
            @Override
            public void send(String text) {
                throw new IllegalStateException("broken pipe");
            }

            @Override
            public void close(int code, String reason) {
                throw new IllegalStateException("broken pipe");
            }
        };
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            SocketOutbox outbox = new SocketOutbox(broken, writers, 10, failures::incrementAndGet);
            outbox.offer("ping");
            outbox.offer("ping");
            Await.until(() -> failures.get() == 1, Duration.ofSeconds(10));
            assertThat(outbox.isClosed()).isTrue();
            assertThat(outbox.offer("late")).isFalse();
            assertThat(failures.get()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a close drops what is queued and is the last thing written")
    void closeIsLast() throws Exception {
        BlockingSink sink = new BlockingSink();
        sink.release.countDown();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            SocketOutbox outbox = new SocketOutbox(sink, writers, 10, () -> { });
            outbox.close(4403, "removed");
            assertThat(outbox.offer("late")).isFalse();
            Await.until(() -> sink.closeCode != null, Duration.ofSeconds(10));
            assertThat(sink.closeCode).isEqualTo(4403);
            assertThat(sink.written).isEmpty();
        }
    }

}
