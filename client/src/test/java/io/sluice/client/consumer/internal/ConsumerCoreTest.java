package io.sluice.client.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.consumer.OffsetAndMetadata;
import io.sluice.client.consumer.OffsetResetStrategy;
import io.sluice.client.errors.NoOffsetForPartitionException;
import io.sluice.client.errors.OffsetOutOfRangeException;
import io.sluice.client.internal.ListOffsetsOperation;
import io.sluice.client.internal.network.FakeTransport;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.ConsumerServiceGrpc;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.OffsetSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConsumerCoreTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private static List<String> values(List<FetchedRecord> records) {
        return records.stream().map(r -> new String(r.record().value(), StandardCharsets.UTF_8)).toList();
    }

    private static FakeConsumerCluster cluster() {
        FakeConsumerCluster c = new FakeConsumerCluster().topic("t", 1, 1);
        c.append(P0, 1_000, "a", "b", "c");
        c.append(P0, 2_000, "d", "e");
        return c;
    }

    @Test
    void withoutAGroupPositionsResetByPolicyAndAdvanceAsRecordsAreReturned() {
        CoreHarness h = new CoreHarness(cluster(), Map.of(ConsumerConfig.AUTO_OFFSET_RESET, "earliest"));
        h.core.assign(List.of(P0));
        assertEquals(List.of("a", "b"), values(h.pollRecords(2)));
        assertEquals(OptionalLong.of(2), h.core.subscriptions().position(P0));
        assertEquals(OptionalLong.of(3), h.core.subscriptions().lag(P0), "high watermark 5 minus position 2");
        assertEquals(List.of("c", "d", "e"), values(h.pollRecords(10)));
        assertEquals(OptionalLong.of(0), h.core.subscriptions().lag(P0));
        h.cluster.append(P0, 3_000, "f");
        assertEquals(List.of("f"), values(h.pollRecords(10)));
    }

    @Test
    void latestStartsAtTheEnd() {
        CoreHarness h = new CoreHarness(cluster(), Map.of());
        h.core.assign(List.of(P0));
        h.run(5, 5);
        assertEquals(OptionalLong.of(5), h.core.subscriptions().position(P0));
    }

    @Test
    void recordsBelowTheFetchOffsetInsideABatchAreSkipped() {
        CoreHarness h = new CoreHarness(cluster(), Map.of());
        h.core.assign(List.of(P0));
        h.core.subscriptions().seek(P0, 1, -1);
        List<FetchedRecord> records = h.pollRecords(10);
        assertEquals(List.of("b", "c", "d", "e"), values(records));
        assertEquals(1, records.get(0).record().offset());
    }

    @Test
    void atMostOneFetchIsOutstandingPerLeader() {
        FakeConsumerCluster c = cluster();
        c.transport.stopResponding(ConsumerServiceGrpc.getFetchMethod());
        CoreHarness h = new CoreHarness(c, Map.of());
        h.core.assign(List.of(P0, P1));
        h.core.subscriptions().seek(P0, 0, -1);
        h.core.subscriptions().seek(P1, 0, -1);
        h.run(10, 5);
        List<io.sluice.client.internal.network.FakeTransport.Call> fetches = c.transport.pendingCalls().stream()
                .filter(call -> call.method.endsWith("/Fetch")).toList();
        assertEquals(1, fetches.size(), "both partitions share leader 1: one fetch");
        assertEquals(2, fetches.get(0).request(FetchRequest.class).getTopics(0).getPartitionsCount());
    }

    @Test
    void aFetchThatFailedIsDueAgainWhenItsBackoffEnds() {
        FakeConsumerCluster c = cluster();
        c.transport.stopResponding(ConsumerServiceGrpc.getFetchMethod());
        CoreHarness h = new CoreHarness(c, Map.of());
        h.core.assign(List.of(P0));
        h.core.subscriptions().seek(P0, 0, -1);
        h.run(3, 5);
        FakeTransport.Call fetch = c.transport.takeCall(ConsumerServiceGrpc.getFetchMethod());
        assertNotNull(fetch);
        fetch.respond(FetchResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS).build());
        h.run(1, 0);
        // Nothing else is due and no answer is coming: the background thread sleeps until
        // nextPollMs, so the retry must be in it (the harness's backoff is at most 100 ms).
        long wait = h.core.nextPollMs() - h.clock.monotonicMs();
        assertTrue(wait > 0 && wait <= 100, "the fetch is retried after its backoff, not " + wait + " ms later");
        h.run(1, wait);
        assertNotNull(c.transport.takeCall(ConsumerServiceGrpc.getFetchMethod()), "retried then");
    }

    @Test
    void aLongPollOfCaughtUpPartitionsWaitsUntilTheSameLeadersRecordsAreHandedOut() {
        FakeConsumerCluster c = new FakeConsumerCluster().topic("t", 1, 1);
        c.append(P0, 1_000, "a", "b", "c");
        CoreHarness h = new CoreHarness(c, Map.of());
        h.core.assign(List.of(P0, P1));
        h.core.subscriptions().seek(P0, 0, -1);
        h.core.subscriptions().seek(P1, 0, -1);
        h.run(5, 5);
        assertEquals(1, c.fetchRequests.size(),
                "P0's records wait to be handed out and P1 is at its high watermark: no fetch of P1 alone");
        assertEquals(List.of("a", "b"), values(h.core.collect(2)));
        h.run(5, 5);
        assertEquals(1, c.fetchRequests.size(), "one record of P0 still waits");
        assertEquals(List.of("c"), values(h.core.collect(10)));
        h.run(1, 5);
        assertEquals(2, c.fetchRequests.size(), "P0 drained: one fetch for both partitions");
        assertEquals(2, c.fetchRequests.get(1).getTopics(0).getPartitionsCount());
        c.append(P1, 2_000, "x");
        assertEquals(List.of("x"), values(h.pollRecords(10)), "nothing waits: the caught-up partitions are polled");
    }

    @Test
    void outOfRangeResetsByPolicyOrFailsWithNone() {
        FakeConsumerCluster c = cluster();
        c.deleteBefore(P0, 3);
        CoreHarness reset = new CoreHarness(c, Map.of(ConsumerConfig.AUTO_OFFSET_RESET, "earliest"));
        reset.core.assign(List.of(P0));
        reset.core.subscriptions().seek(P0, 1, -1);
        assertEquals(List.of("d", "e"), values(reset.pollRecords(10)), "reset to the log start, 3");

        CoreHarness strict = new CoreHarness(c, Map.of(ConsumerConfig.AUTO_OFFSET_RESET, "none"));
        strict.core.assign(List.of(P0));
        strict.core.subscriptions().seek(P0, 1, -1);
        strict.run(5, 5);
        OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class, () -> strict.core.collect(10));
        assertEquals(Map.of("t-0", 1L), e.offsets());
        strict.core.subscriptions().seek(P0, 4, -1);
        assertEquals(List.of("e"), values(strict.pollRecords(10)), "a seek clears the error");
    }

    @Test
    void withAGroupTheCommittedOffsetIsTheStartAndNoneMeansReset() {
        FakeConsumerCluster c = cluster();
        c.committed.put(P0, 3L);
        CoreHarness h = new CoreHarness(c, Map.of(ConsumerConfig.GROUP_ID, "g",
                ConsumerConfig.AUTO_OFFSET_RESET, "earliest"));
        h.core.assign(List.of(P0, P1));
        assertEquals(List.of("d", "e"), values(h.pollRecords(10)));
        assertEquals(OptionalLong.of(0), h.core.subscriptions().position(P1), "no commit: earliest");

        CoreHarness none = new CoreHarness(c, Map.of(ConsumerConfig.GROUP_ID, "g",
                ConsumerConfig.AUTO_OFFSET_RESET, "none"));
        none.core.assign(List.of(P1));
        none.run(5, 5);
        assertThrows(NoOffsetForPartitionException.class, () -> none.core.collect(10));
    }

    @Test
    void aResetAnsweredAfterThePartitionWasReassignedDoesNotMoveTheNewPosition() {
        FakeConsumerCluster c = cluster();
        c.committed.put(P0, 3L);
        c.transport.stopResponding(AdminServiceGrpc.getListOffsetsMethod());
        CoreHarness h = new CoreHarness(c, Map.of(ConsumerConfig.GROUP_ID, "g",
                ConsumerConfig.AUTO_OFFSET_RESET, "earliest"));
        h.core.assign(List.of(P0));
        h.core.subscriptions().requestReset(P0, OffsetResetStrategy.EARLIEST);
        h.run(5, 5);
        FakeTransport.Call stale = c.transport.takeCall(AdminServiceGrpc.getListOffsetsMethod());
        assertNotNull(stale, "the reset to the beginning is asked for, and not answered yet");
        h.core.assign(List.of(P1));
        h.core.assign(List.of(P0));
        assertEquals(List.of("d", "e"), values(h.pollRecords(10)), "the new assignment starts at the commit, 3");

        stale.respond(c.listOffsets(stale.to, stale.request(ListOffsetsRequest.class)));
        h.run(5, 5);
        assertEquals(List.of(), values(h.core.collect(10)), "the earlier assignment's reset must not rewind it");
        assertEquals(OptionalLong.of(5), h.core.subscriptions().position(P0));
    }

    @Test
    void autoCommitCommitsOnlyWhatEarlierPollsReturned() {
        FakeConsumerCluster c = cluster();
        CoreHarness h = new CoreHarness(c, Map.of(ConsumerConfig.GROUP_ID, "g",
                ConsumerConfig.AUTO_OFFSET_RESET, "earliest", ConsumerConfig.AUTO_COMMIT_INTERVAL_MS, 0));
        h.core.assign(List.of(P0));
        h.core.onApplicationPoll(h.clock.monotonicMs());
        assertEquals(List.of("a", "b"), values(h.pollRecords(2)));
        h.run(3, 5);
        assertTrue(c.committed.isEmpty(), "nothing is committed before the next poll");
        h.core.onApplicationPoll(h.clock.monotonicMs());
        h.run(3, 5);
        assertEquals(Map.of(P0, 2L), c.committed, "the next poll commits what the previous one returned");
        assertEquals("", c.commitRequests.get(0).getMemberId(), "assign() commits without membership");
        assertEquals(-1, c.commitRequests.get(0).getMemberEpoch());
    }

    @Test
    void commitsAreSentInOrderAndCompleteTheirFutures() {
        FakeConsumerCluster c = cluster();
        CoreHarness h = new CoreHarness(c, Map.of(ConsumerConfig.GROUP_ID, "g"));
        h.core.assign(List.of(P0));
        CompletableFuture<Void> first = h.core.commit(Map.of(P0, new OffsetAndMetadata(1)), Long.MAX_VALUE);
        CompletableFuture<Void> second = h.core.commit(Map.of(P0, new OffsetAndMetadata(2, 0, "m")), Long.MAX_VALUE);
        h.run(5, 5);
        assertTrue(first.isDone() && second.isDone() && !second.isCompletedExceptionally());
        assertEquals(2L, c.committed.get(P0));
        assertEquals(List.of(1L, 2L), c.commitRequests.stream()
                .map(r -> r.getTopics(0).getPartitions(0).getCommittedOffset()).toList());
        var committed = h.core.committed(java.util.Set.of(P0, P1), Long.MAX_VALUE);
        h.run(3, 5);
        assertEquals(Map.of(P0, new OffsetAndMetadata(2, -1, "")), committed.join());
    }

    @Test
    void aMovedLeaderIsFollowedThroughItsHint() {
        FakeConsumerCluster c = cluster();
        CoreHarness h = new CoreHarness(c, Map.of());
        h.core.assign(List.of(P0));
        h.core.subscriptions().seek(P0, 0, -1);
        assertEquals(List.of("a"), values(h.pollRecords(1)));
        c.moveLeader(P0, 2);
        c.append(P0, 4_000, "f");
        List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < 20 && rest.size() < 5; i++) {
            rest.addAll(values(h.pollRecords(10)));
        }
        assertEquals(List.of("b", "c", "d", "e", "f"), rest);
        assertTrue(c.transport.allCalls().stream().anyMatch(call -> call.method.endsWith("/Fetch")
                && call.to.equals(FakeConsumerCluster.broker(2))), "fetched from the new leader");
    }

    @Test
    void pausedPartitionsAreNotFetchedAndKeepTheirPosition() {
        FakeConsumerCluster c = cluster();
        CoreHarness h = new CoreHarness(c, Map.of());
        h.core.assign(List.of(P0));
        h.core.subscriptions().seek(P0, 0, -1);
        h.core.subscriptions().pause(List.of(P0));
        h.core.dropUnfetchable();
        h.run(5, 5);
        assertTrue(h.core.collect(10).isEmpty());
        assertEquals(OptionalLong.of(0), h.core.subscriptions().position(P0));
        h.core.subscriptions().resume(List.of(P0));
        assertEquals(List.of("a", "b", "c", "d", "e"), values(h.pollRecords(10)));
    }

    @Test
    void offsetLookupsByTimeBeginningAndEnd() {
        FakeConsumerCluster c = cluster();
        CoreHarness h = new CoreHarness(c, Map.of());
        var future = h.core.listOffsets(Map.of(
                P0, new ListOffsetsOperation.Query(OffsetSpec.OFFSET_SPEC_TIMESTAMP, 2_001),
                P1, new ListOffsetsOperation.Query(OffsetSpec.OFFSET_SPEC_LATEST, 0)), Long.MAX_VALUE);
        h.run(5, 5);
        assertEquals(4, future.join().get(P0).offset(), "the record at 2001 is e, offset 4");
        assertEquals(0, future.join().get(P1).offset());
        h.core.assign(List.of(P0));
        h.core.subscriptions().requestReset(P0, OffsetResetStrategy.EARLIEST);
        assertEquals(List.of("a", "b", "c", "d", "e"), values(h.pollRecords(10)));
    }
}
