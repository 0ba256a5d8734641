package io.sluice.metastore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.metastore.MetadataImage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The snapshot writer: Ratis' trigger never waits for a write, an index is answered only once its
 * snapshot is durable and only once, and failed writes are retried after a delay (fake clock).
 */
@Timeout(60)
class SnapshotWriterTest {
    /** Records writes; a write can be held on a latch or made to fail. */
    private static final class FakeTarget implements SnapshotWriter.Target {
        final List<Long> writes = new CopyOnWriteArrayList<>();
        volatile CountDownLatch hold = new CountDownLatch(0);
        volatile boolean fail;

        @Override
        public void write(MetadataImage image) throws IOException {
            writes.add(image.lastAppliedIndex());
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (fail) {
                throw new IOException("disk full (test)");
            }
        }
    }

    private final FakeTarget target = new FakeTarget();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final SnapshotWriter writer = new SnapshotWriter("test-snapshot-writer", target, clock::get);

    @AfterEach
    void close() {
        target.hold.countDown();
        writer.close();
    }

    private static MetadataImage at(long index) {
        return MetadataImage.EMPTY.withPosition(index, 1);
    }

    @Test
    void triggerReturnsAtOnceAndAnswersTheIndexOnlyWhenDurable() {
        target.hold = new CountDownLatch(1);
        // The write is held until the test releases it: a trigger that waited for it would hang here.
        assertEquals(RaftLogIndexes.INVALID, writer.trigger(at(100)));
        assertEquals(RaftLogIndexes.INVALID, writer.trigger(at(120)), "a write is running: not durable yet");
        target.hold.countDown();
        writer.awaitIdle();
        assertEquals(List.of(100L), target.writes, "one write at a time; the second trigger started none");
        assertEquals(100, writer.trigger(at(130)), "the durable snapshot is answered once");
        assertEquals(RaftLogIndexes.INVALID, writer.trigger(at(130)), "and then a newer image is written");
        writer.awaitIdle();
        assertEquals(List.of(100L, 130L), target.writes);
        assertEquals(130, writer.trigger(at(130)));
        assertEquals(RaftLogIndexes.INVALID, writer.trigger(at(130)), "nothing newer: no write, no answer");
        writer.awaitIdle();
        assertEquals(List.of(100L, 130L), target.writes);
    }

    @Test
    void aKnownSnapshotIsNotAnsweredAgain() {
        writer.markKnown(50);
        assertEquals(RaftLogIndexes.INVALID, writer.trigger(at(50)));
        writer.awaitIdle();
        assertEquals(List.of(), target.writes, "the image is not newer than the known snapshot");
    }

    @Test
    void aFailedWriteIsRetriedOnlyAfterTheDelay() {
        target.fail = true;
        assertEquals(RaftLogIndexes.INVALID, writer.trigger(at(10)));
        writer.awaitIdle();
        target.fail = false;
        assertEquals(RaftLogIndexes.INVALID, writer.trigger(at(11)));
        writer.awaitIdle();
        assertEquals(List.of(10L), target.writes, "backing off: no second write yet");
        clock.addAndGet(SnapshotWriter.RETRY_DELAY_NANOS);
        assertEquals(RaftLogIndexes.INVALID, writer.trigger(at(12)));
        writer.awaitIdle();
        assertEquals(List.of(10L, 12L), target.writes);
        assertEquals(12, writer.trigger(at(12)));
    }

    @Test
    void writeNowWaitsAndReportsFailures() throws IOException {
        assertEquals(7, writer.writeNow(at(7)));
        assertEquals(7, writer.writeNow(at(7)), "not newer: skipped, the durable index is answered");
        assertEquals(List.of(7L), target.writes);
        target.fail = true;
        IOException e = assertThrows(IOException.class, () -> writer.writeNow(at(8)));
        assertEquals("disk full (test)", e.getMessage());
        assertEquals(7, writer.trigger(at(8)), "the last durable snapshot is still the one answered");
    }
}
