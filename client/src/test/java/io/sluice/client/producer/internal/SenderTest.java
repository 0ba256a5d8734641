package io.sluice.client.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.DeliveryTimeoutException;
import io.sluice.client.errors.ProducerFencedException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.producer.ProducerConfig;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ProduceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SenderTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);

    private static FakeProduceCluster twoBrokers() {
        return new FakeProduceCluster().broker(1).broker(2).topic("t", 1, 1);
    }

    private static SluiceException failure(CompletableFuture<RecordMetadata> f) {
        assertTrue(f.isCompletedExceptionally(), "expected a failure");
        try {
            f.join();
            throw new AssertionError("unreachable");
        } catch (CompletionException e) {
            return assertInstanceOf(SluiceException.class, e.getCause());
        }
    }

    private static List<CompletableFuture<RecordMetadata>> sendAll(SenderHarness h, String prefix, int n) {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(h.send("t", 0, prefix + i));
            h.run(1, 1);
        }
        return futures;
    }

    @Test
    void batchesCarryTheProducerIdAndConsecutiveSequenceNumbers() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of());
        h.warmUp("t");
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(h.send("t", 0, "v" + i));
            h.run(1, 1);
            assertTrue(c.processNext(1));
            h.run(1, 1);
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(i, futures.get(i).join().offset());
        }
        List<FakeProduceCluster.Stored> log = c.log(P0);
        assertEquals(List.of(0, 1, 2), log.stream().map(FakeProduceCluster.Stored::firstSequence).toList());
        assertTrue(log.stream().allMatch(s -> s.producerId() == 1000 && s.epoch() == 0));
        assertEquals(1, c.initRequests);
    }

    @Test
    void pipelinesAtMostMaxInFlightRequestsPerBroker() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of(ProducerConfig.BATCH_SIZE, 1));
        h.warmUp("t");
        List<CompletableFuture<RecordMetadata>> futures = sendAll(h, "v", 7);
        h.run(3, 1);
        assertEquals(5, c.waiting(1), "five requests in flight, the rest queued");
        assertTrue(c.processNext(1));
        h.warmUp("t");
        assertEquals(5, c.waiting(1), "an answer lets the next batch go");
        while (c.processNext(1)) {
            h.warmUp("t");
        }
        assertEquals(List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6"), c.values(P0));
        for (int i = 0; i < 7; i++) {
            assertEquals(i, futures.get(i).join().offset());
        }
    }

    @Test
    void notLeaderMidFlightRetriesOnTheNewLeaderInOrderWithoutDuplicates() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of(ProducerConfig.BATCH_SIZE, 1));
        h.warmUp("t");
        List<CompletableFuture<RecordMetadata>> futures = sendAll(h, "v", 5);
        assertEquals(5, c.waiting(1));
        c.processNext(1);
        c.processNext(1);
        ProduceRequest third = c.take(1);
        c.processAndLoseAnswer(1, third);
        c.moveLeader(P0, 2);
        c.processNext(1);
        c.processNext(1);
        for (int i = 0; i < 200 && !futures.stream().allMatch(CompletableFuture::isDone); i++) {
            h.run(1, 20);
            c.processNext(2);
        }
        assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), c.values(P0), "each record once, in send order");
        for (int i = 0; i < 5; i++) {
            assertEquals(i, futures.get(i).join().offset(), "record " + i);
        }
        assertTrue(c.transport.streams().size() >= 2, "the retries went to broker 2");
    }

    @Test
    void aRetryGoesToTheNewLeaderOnceMetadataShowsItNotAfterItsBackoff() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of(ProducerConfig.RETRY_BACKOFF_MS, 100L,
                ProducerConfig.RETRY_BACKOFF_MAX_MS, 1_000L));
        h.warmUp("t");
        CompletableFuture<RecordMetadata> f = h.send("t", 0, "v");
        long start = h.clock.monotonicMs();
        long movedAt = -1;
        int metadataAtMove = 0;
        while (!f.isDone() && h.clock.monotonicMs() - start < 5_000) {
            h.run(1, 10);
            if (c.waiting(1) > 0) {
                c.breakStream(1);
            }
            if (movedAt < 0 && h.clock.monotonicMs() - start >= 800) {
                c.moveLeader(P0, 2);
                movedAt = h.clock.monotonicMs();
                metadataAtMove = c.metadataRequests;
            }
            c.processNext(2);
        }
        assertEquals(0, f.join().offset());
        long waited = h.clock.monotonicMs() - movedAt;
        assertTrue(waited <= 300, "acknowledged " + waited + " ms after the move, within a few metadata refreshes "
                + "(the batch's own backoff had grown to 800 ms)");
        assertTrue(c.metadataRequests > metadataAtMove, "the move was learnt from a refresh");
        h.run(100, 20);
        int settled = c.metadataRequests;
        h.run(100, 20);
        assertEquals(settled, c.metadataRequests, "no refreshes once nothing waits for a leader");
    }

    @Test
    void aTimedOutAppendThatSucceededIsNotWrittenTwice() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of());
        h.warmUp("t");
        CompletableFuture<RecordMetadata> f = h.send("t", 0, "once");
        h.run(1, 1);
        c.processAndLoseAnswer(1, c.take(1));
        h.run(1, 1_000);
        assertTrue(!f.isDone(), "a timeout is retried, not reported");
        for (int i = 0; i < 20 && !f.isDone(); i++) {
            h.run(1, 20);
            c.processNext(1);
        }
        assertEquals(0, f.join().offset(), "the duplicate is answered with the original offset");
        assertEquals(List.of("once"), c.values(P0));
        assertEquals(2, c.transport.streams().size(), "the timed-out stream was replaced");
    }

    @Test
    void aDeliveryTimeoutSaysWhetherAnAttemptMayHaveBeenWritten() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of());
        h.warmUp("t");
        CompletableFuture<RecordMetadata> lost = h.send("t", 0, "lost");
        h.run(1, 1);
        c.processAndLoseAnswer(1, c.take(1));
        c.moveLeader(P0, -1);
        h.run(100, 200);
        DeliveryTimeoutException unknown = assertInstanceOf(DeliveryTimeoutException.class, failure(lost));
        assertTrue(unknown.mayHaveBeenWritten(), "its first attempt got no answer: " + unknown.getMessage());

        c.moveLeader(P0, 1);
        CompletableFuture<RecordMetadata> refused = h.send("t", 0, "refused");
        for (int i = 0; i < 2_000 && !refused.isDone(); i++) {
            h.run(1, 10);
            ProduceRequest request = c.take(1);
            if (request != null) {
                c.refuse(1, request, ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS);
            }
        }
        DeliveryTimeoutException certain = assertInstanceOf(DeliveryTimeoutException.class, failure(refused));
        assertFalse(certain.mayHaveBeenWritten(), "every attempt was refused before the append: "
                + certain.getMessage());
    }

    @Test
    void outOfOrderBehindAnUnresolvedBatchIsRetriedWithoutANewEpoch() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of(ProducerConfig.BATCH_SIZE, 1));
        h.warmUp("t");
        List<CompletableFuture<RecordMetadata>> futures = sendAll(h, "v", 2);
        c.take(1);
        c.processNext(1);
        for (int i = 0; i < 200 && !futures.stream().allMatch(CompletableFuture::isDone); i++) {
            h.run(1, 20);
            c.processNext(1);
        }
        assertEquals(List.of("v0", "v1"), c.values(P0));
        assertEquals(1, c.initRequests, "no epoch bump for a refusal caused by an earlier lost batch");
        assertEquals(1, futures.get(1).join().offset());
    }

    /**
     * A broker that is not, or no longer, the partition's leader in fact (cut off, on old metadata)
     * can answer OUT_OF_ORDER_SEQUENCE for a batch the real leader already appended from an earlier
     * attempt whose answer was lost. That answer says nothing about the earlier attempt: the batch
     * must stay "may have been written", so it is resent under the same epoch (and answered as a
     * duplicate), not given new sequence numbers under a bumped epoch and written twice.
     */
    @Test
    void anOutOfOrderAnswerDoesNotUnsayAnEarlierAttemptThatGotNoAnswer() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of(ProducerConfig.BATCH_SIZE, 1));
        h.warmUp("t");
        CompletableFuture<RecordMetadata> first = h.send("t", 0, "v0");
        for (int i = 0; i < 100 && !first.isDone(); i++) {
            h.run(1, 1);
            c.processNext(1);
        }
        assertEquals(0, first.join().offset());
        CompletableFuture<RecordMetadata> second = h.send("t", 0, "v1");
        h.run(1, 1);
        c.processAndLoseAnswer(1, c.take(1));
        ProduceRequest retry = null;
        for (int i = 0; i < 200 && retry == null; i++) {
            h.run(1, 20);
            retry = c.take(1);
        }
        c.refuse(1, retry, ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE);
        for (int i = 0; i < 200 && !second.isDone(); i++) {
            h.run(1, 20);
            c.processNext(1);
        }
        assertEquals(List.of("v0", "v1"), c.values(P0), "written once");
        assertEquals(1, second.join().offset(), "answered with the offset of the earlier attempt");
        assertEquals(1, c.initRequests, "no epoch bump");
    }

    /**
     * The other side of the rule above: a batch whose lost attempt was in fact never written and
     * that then meets nothing but OUT_OF_ORDER_SEQUENCE is retried until its delivery timeout,
     * fails as "may have been written", and the producer then bumps its epoch and goes on.
     */
    @Test
    void aBatchThatMayBeWrittenAndOnlyMeetsOutOfOrderExpiresAndTheProducerGoesOn() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of(ProducerConfig.BATCH_SIZE, 1));
        h.warmUp("t");
        CompletableFuture<RecordMetadata> stuck = h.send("t", 0, "v0");
        h.run(1, 1);
        assertNotNull(c.take(1), "the first attempt is lost on the way");
        for (int i = 0; i < 2_000 && !stuck.isDone(); i++) {
            h.run(1, 10);
            if (!stuck.isDone()) {
                assertEquals(1, c.initRequests, "no epoch bump while it may be in the log");
            }
            ProduceRequest request = c.take(1);
            if (request != null) {
                c.refuse(1, request, ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE);
            }
        }
        DeliveryTimeoutException expired = assertInstanceOf(DeliveryTimeoutException.class, failure(stuck));
        assertTrue(expired.mayHaveBeenWritten(), expired.getMessage());

        CompletableFuture<RecordMetadata> next = h.send("t", 0, "v1");
        for (int i = 0; i < 200 && !next.isDone(); i++) {
            h.run(1, 20);
            c.processNext(1);
        }
        assertEquals(0, next.join().offset());
        assertEquals(List.of("v1"), c.values(P0));
        assertEquals(2, c.initRequests, "the epoch was bumped once the batch was resolved");
        assertEquals(0, c.log(P0).get(0).firstSequence(), "sequences restart at 0 under the new epoch");
    }

    @Test
    void aRealSequenceGapBumpsTheEpochAndResendsOnlyRefusedBatches() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of(ProducerConfig.BATCH_SIZE, 1));
        h.warmUp("t");
        List<CompletableFuture<RecordMetadata>> futures = sendAll(h, "v", 2);
        c.refuse(1, c.take(1), ErrorCode.ERROR_CODE_INVALID_TIMESTAMP);
        h.run(1, 1);
        c.processNext(1);
        for (int i = 0; i < 100 && !futures.get(1).isDone(); i++) {
            h.run(1, 20);
            c.processNext(1);
        }
        assertEquals(ErrorCode.ERROR_CODE_INVALID_TIMESTAMP, failure(futures.get(0)).errorCode());
        assertEquals(0, futures.get(1).join().offset());
        assertEquals(List.of("v1"), c.values(P0));
        FakeProduceCluster.Stored stored = c.log(P0).get(0);
        assertEquals(1, stored.epoch(), "resent under the bumped epoch");
        assertEquals(0, stored.firstSequence(), "sequences restart at 0");
        assertEquals(2, c.initRequests);
        assertEquals(1, h.sender.producerEpoch());
    }

    @Test
    void recordsThatCannotBeSentFailAtTheirDeliveryTimeoutAndFreeTheirMemory() {
        FakeProduceCluster c = twoBrokers();
        c.moveLeader(P0, -1);
        SenderHarness h = new SenderHarness(c, Map.of());
        h.warmUp("t");
        CompletableFuture<RecordMetadata> f = h.send("t", 0, "stuck");
        h.run(100, 101);
        SluiceException e = failure(f);
        assertInstanceOf(SluiceTimeoutException.class, e);
        assertTrue(e.getMessage().contains("delivery.timeout.ms"), e.getMessage());
        assertFalse(assertInstanceOf(DeliveryTimeoutException.class, e).mayHaveBeenWritten(),
                "a record never sent cannot be in the log");
        assertEquals(h.pool.totalBytes(), h.pool.availableBytes());
        assertTrue(c.metadataRequests > 2, "a partition without leader keeps metadata refreshing");
    }

    @Test
    void aFencedProducerFailsEverythingAndStaysFailed() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of());
        h.warmUp("t");
        CompletableFuture<RecordMetadata> first = h.send("t", 0, "a");
        h.run(1, 1);
        c.refuse(1, c.take(1), ErrorCode.ERROR_CODE_PRODUCER_FENCED);
        h.run(1, 1);
        assertInstanceOf(ProducerFencedException.class, failure(first));
        CompletableFuture<RecordMetadata> later = h.send("t", 0, "b");
        h.run(1, 1);
        assertInstanceOf(ProducerFencedException.class, failure(later));
        assertTrue(h.sender.fatalError().isPresent());
    }

    @Test
    void recordsWaitForTheirTopicsMetadataInOrderOrFailAfterMaxBlock() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of(ProducerConfig.MAX_BLOCK_MS, 500L));
        CompletableFuture<RecordMetadata> early1 = h.send("t", -1, "e1");
        CompletableFuture<RecordMetadata> early2 = h.send("t", -1, "e2");
        CompletableFuture<RecordMetadata> missing = h.send("nope", -1, "x");
        h.run(3, 1);
        while (c.processNext(1)) {
            h.run(1, 1);
        }
        assertEquals(0, early1.join().offset());
        assertEquals(1, early2.join().offset());
        h.run(10, 100);
        SluiceException e = failure(missing);
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("UNKNOWN_TOPIC_OR_PARTITION"),
                e.getMessage());
    }

    @Test
    void withoutIdempotenceBatchesCarryNoProducerId() {
        FakeProduceCluster c = twoBrokers();
        SenderHarness h = new SenderHarness(c, Map.of(ProducerConfig.ACKS, "leader"));
        assertTrue(!h.config.idempotenceEnabled());
        h.warmUp("t");
        CompletableFuture<RecordMetadata> f = h.send("t", 0, "plain");
        h.run(1, 1);
        ProduceRequest request = c.take(1);
        assertNotNull(request);
        assertEquals(io.sluice.proto.v1.Acks.ACKS_LEADER, request.getAcks());
        c.process(1, request);
        h.run(1, 1);
        assertEquals(0, f.join().offset());
        assertEquals(-1, c.log(P0).get(0).producerId());
        assertEquals(0, c.initRequests);
    }
}
