package io.sluice.client.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.errors.UnknownTopicOrPartitionException;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.metadata.TestClusters;
import io.sluice.common.ManualClock;
import io.sluice.record.CompressionType;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordAccumulatorTest {
    private final ManualClock clock = new ManualClock(0);
    private final Cluster cluster = TestClusters.cluster(TestClusters.topic("t", 1, 2, 3));

    private RecordAccumulator accumulator(int batchSize, long lingerMs, BufferPool pool) {
        return new RecordAccumulator(batchSize, CompressionType.NONE, lingerMs, pool,
                new Partitioner(true, batchSize, new Random(1)));
    }

    private static PendingRecord record(int partition, String value, long nowMs) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return new PendingRecord("t", partition, 1_000, null, bytes, List.of(), new CompletableFuture<>(), null,
                PendingRecord.sizeUpperBound(null, bytes, List.of()), nowMs);
    }

    private static RecordAccumulator.Drained drain(RecordAccumulator acc, Cluster cluster, long nowMs, int maxBytes) {
        return acc.drain(cluster, nowMs, node -> true, batch -> true, maxBytes);
    }

    private static List<ProducerBatch> all(RecordAccumulator.Drained drained) {
        List<ProducerBatch> out = new ArrayList<>();
        drained.byNode().values().forEach(out::addAll);
        return out;
    }

    @Test
    void aBatchLingersUntilItsTimeUnlessItFills() {
        RecordAccumulator acc = accumulator(1_000, 100, new BufferPool(1 << 20, clock));
        acc.append(record(0, "a", 0), cluster, 0);
        RecordAccumulator.Drained early = drain(acc, cluster, 50, 1 << 20);
        assertTrue(early.byNode().isEmpty());
        assertEquals(100, early.nextReadyMs());
        assertEquals(1, all(drain(acc, cluster, 100, 1 << 20)).size());

        acc.append(record(1, "x".repeat(990), 200), cluster, 200);
        assertEquals(1, all(drain(acc, cluster, 200, 1 << 20)).size(), "a full batch goes at once");
    }

    @Test
    void batchesStayWithinBatchSizeAndALargeRecordGetsItsOwn() {
        RecordAccumulator acc = accumulator(300, 0, new BufferPool(1 << 20, clock));
        for (int i = 0; i < 12; i++) {
            acc.append(record(0, "value-" + "x".repeat(40) + i, 0), cluster, 0);
        }
        acc.append(record(0, "y".repeat(1_000), 0), cluster, 0);
        List<ProducerBatch> batches = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            batches.addAll(all(drain(acc, cluster, round, 1 << 20)));
        }
        List<String> values = new ArrayList<>();
        for (ProducerBatch b : batches) {
            int size = b.buffer().remaining();
            assertTrue(size <= 300 || b.recordCount() == 1, "batch of " + size + " bytes with " + b.recordCount());
            for (Record r : RecordBatch.wrap(b.buffer()).records()) {
                values.add(new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        assertTrue(batches.size() >= 4, "split into several batches: " + batches.size());
        assertEquals(13, values.size());
        assertEquals("y".repeat(1_000), values.get(12), "order kept across batches");
    }

    @Test
    void drainTakesOneBatchPerPartitionAndHonoursTheRequestSize() {
        RecordAccumulator acc = accumulator(100, 0, new BufferPool(1 << 20, clock));
        Cluster oneLeader = TestClusters.cluster(TestClusters.topic("t", 1, 1, 1));
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 3; i++) {
                acc.append(record(p, "v".repeat(60), 0), oneLeader, 0);
            }
        }
        RecordAccumulator.Drained first = drain(acc, oneLeader, 0, 1 << 20);
        assertEquals(3, first.byNode().get(1).size(), "one batch of each partition");
        assertEquals(3, first.byNode().get(1).stream().map(ProducerBatch::topicPartition).distinct().count());
        RecordAccumulator.Drained small = drain(acc, oneLeader, 0, 150);
        assertEquals(1, small.byNode().get(1).size(), "a request of at most 150 bytes holds one such batch");
    }

    @Test
    void memoryIsBoundedAndWaitersWakeWhenItIsReleased() throws Exception {
        BufferPool pool = new BufferPool(1_000, clock);
        pool.reserve(600, 0);
        assertThrows(SluiceTimeoutException.class, () -> pool.reserve(600, 0));
        assertThrows(IllegalArgumentException.class, () -> pool.reserve(1_001, 0));
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> pool.reserve(600, Long.MAX_VALUE / 4));
        while (!pool.hasWaiters()) {
            Thread.onSpinWait();
        }
        assertTrue(!waiter.isDone());
        pool.release(600);
        waiter.get(30, TimeUnit.SECONDS);
        assertEquals(400, pool.availableBytes());
    }

    @Test
    void aWaitingThreadMakesBatchesGoWithoutLingering() throws Exception {
        BufferPool pool = new BufferPool(200, clock);
        RecordAccumulator acc = accumulator(1_000, 10_000, pool);
        PendingRecord r = record(0, "a", 0);
        pool.reserve(r.reservedBytes(), 0);
        acc.append(r, cluster, 0);
        assertTrue(drain(acc, cluster, 0, 1 << 20).byNode().isEmpty());
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> pool.reserve(200, Long.MAX_VALUE / 4));
        while (!pool.hasWaiters()) {
            Thread.onSpinWait();
        }
        assertEquals(1, all(drain(acc, cluster, 0, 1 << 20)).size());
        pool.release(r.reservedBytes());
        waiter.get(30, TimeUnit.SECONDS);
    }

    @Test
    void flushAndCloseSendWithoutLingering() {
        RecordAccumulator acc = accumulator(1_000, 10_000, new BufferPool(1 << 20, clock));
        acc.append(record(0, "a", 0), cluster, 0);
        acc.beginFlush();
        assertEquals(1, all(drain(acc, cluster, 0, 1 << 20)).size());
        acc.endFlush();
        acc.append(record(0, "b", 0), cluster, 0);
        assertTrue(drain(acc, cluster, 0, 1 << 20).byNode().isEmpty());
        acc.close();
        assertEquals(1, all(drain(acc, cluster, 0, 1 << 20)).size());
        assertThrows(IllegalStateException.class, () -> acc.append(record(0, "c", 0), cluster, 0));
    }

    @Test
    void retriesGoBackToTheFrontInSendOrder() {
        RecordAccumulator acc = accumulator(1, 0, new BufferPool(1 << 20, clock));
        for (int i = 0; i < 4; i++) {
            acc.append(record(0, "v" + i, 0), cluster, 0);
        }
        List<ProducerBatch> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProducerBatch b = all(drain(acc, cluster, 0, 1 << 20)).get(0);
            b.sendOrder = i;
            sent.add(b);
        }
        acc.requeue(sent.get(2));
        acc.requeue(sent.get(0));
        acc.requeue(sent.get(1));
        List<ProducerBatch> again = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            again.addAll(all(drain(acc, cluster, 0, 1 << 20)));
        }
        assertEquals(List.of(sent.get(0), sent.get(1), sent.get(2)), again.subList(0, 3));
        assertEquals(4, again.size());
    }

    @Test
    void recordsWaitForMetadataAndAPartitionOutOfRangeIsRefused() {
        RecordAccumulator acc = accumulator(1_000, 0, new BufferPool(1 << 20, clock));
        acc.append(record(-1, "early", 0), Cluster.empty(), 0);
        assertTrue(acc.hasRecordsAwaitingMetadata());
        acc.append(record(-1, "later", 1), cluster, 1);
        assertTrue(acc.placeAwaitingMetadata(cluster, 2, 1_000).isEmpty());
        assertTrue(!acc.hasRecordsAwaitingMetadata());
        assertThrows(UnknownTopicOrPartitionException.class, () -> acc.append(record(7, "x", 3), cluster, 3));
        List<String> values = new ArrayList<>();
        for (ProducerBatch b : all(drain(acc, cluster, 5, 1 << 20))) {
            for (Record r : RecordBatch.wrap(b.buffer()).records()) {
                values.add(new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("early", "later"), values, "the later record did not overtake the waiting one");
    }

    @Test
    void expireTakesOutBatchesPastTheirDeliveryTimeout() {
        RecordAccumulator acc = accumulator(1_000, 10_000, new BufferPool(1 << 20, clock));
        acc.append(record(0, "old", 0), cluster, 0);
        acc.append(record(1, "new", 500), cluster, 500);
        List<ProducerBatch> expired = acc.expire(1_000, 1_000);
        assertEquals(1, expired.size());
        assertEquals(new TopicPartition("t", 0), expired.get(0).topicPartition());
        assertEquals(1_500, acc.nextExpiryMs(1_000, 60_000));
    }

    @Test
    void expiryNeverMissesABatchQueuedLongAgoEvenOneRequeuedBehindNewerOnes() {
        RecordAccumulator acc = accumulator(1_000, 0, new BufferPool(1 << 20, clock));
        acc.append(record(0, "old", 0), cluster, 0);
        List<ProducerBatch> inFlight = all(drain(acc, cluster, 0, 1 << 20));
        assertEquals(1, inFlight.size());
        assertTrue(acc.expire(900, 1_000).isEmpty());
        acc.append(record(0, "new", 800), cluster, 800);
        assertTrue(acc.expire(1_000, 1_000).isEmpty());
        assertEquals(1_800, acc.nextExpiryMs(1_000, 60_000));
        acc.requeue(inFlight.get(0));     // the send failed: the batch of time 0 waits again
        assertEquals(1_000, acc.nextExpiryMs(1_000, 60_000));
        List<ProducerBatch> expired = acc.expire(1_000, 1_000);
        assertEquals(List.of(inFlight.get(0)), expired);
        assertEquals(1_800, acc.nextExpiryMs(1_000, 60_000));
        assertEquals(1, acc.expire(1_800, 1_000).size());
        assertEquals(Long.MAX_VALUE, acc.nextExpiryMs(1_000, 60_000));
    }

    @Test
    void aDrainedBatchMayMakeTheNextExpiryEarlyButNeverLate() {
        RecordAccumulator acc = accumulator(1_000, 0, new BufferPool(1 << 20, clock));
        acc.append(record(0, "a", 0), cluster, 0);
        all(drain(acc, cluster, 0, 1 << 20));
        acc.append(record(1, "b", 400), cluster, 400);
        long next = acc.nextExpiryMs(1_000, 60_000);
        assertTrue(next <= 1_400, "the batch of time 400 expires at 1,400; told " + next);
        assertTrue(acc.expire(next, 1_000).isEmpty());
        assertEquals(1_400, acc.nextExpiryMs(1_000, 60_000));
        assertEquals(1, acc.expire(1_400, 1_000).size());
    }
}
