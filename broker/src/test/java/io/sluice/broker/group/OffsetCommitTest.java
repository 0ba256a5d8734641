package io.sluice.broker.group;

import static io.sluice.broker.group.CoordinatorHarness.assigned;
import static io.sluice.broker.group.CoordinatorHarness.beat;
import static io.sluice.broker.group.CoordinatorHarness.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.OffsetCommitPartition;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetCommitTopic;
import io.sluice.proto.v1.OffsetFetchPartitionResponse;
import io.sluice.proto.v1.OffsetFetchRequest;
import io.sluice.proto.v1.OffsetFetchResponse;
import io.sluice.proto.v1.OffsetFetchTopic;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OffsetCommit and OffsetFetch: epoch checks, simple commits, per-partition validation. */
class OffsetCommitTest {
    private CoordinatorHarness h;

    @BeforeEach
    void setUp() {
        h = new CoordinatorHarness();
        h.catalog.create("orders", 4);
    }

    private static ErrorCode only(OffsetCommitResponse response) {
        return response.getTopics(0).getPartitions(0).getErrorCode();
    }

    private OffsetFetchPartitionResponse fetched(String topic, int partition) {
        OffsetFetchResponse response = h.coordinator.handleOffsetFetch(OffsetFetchRequest.newBuilder()
                .setGroupId(CoordinatorHarness.GROUP).addTopics(OffsetFetchTopic.newBuilder().setName(topic)
                        .addPartitions(partition)).build(), h.now()).join();
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), response.getErrorMessage());
        return response.getTopics(0).getPartitions(0);
    }

    @Test
    void aMemberCommitsWithItsEpochAndTheOffsetCanBeFetched() {
        h.heartbeat(join("a", "orders"));
        OffsetCommitResponse committed = h.commit("a", 1, "orders", 2, 42);
        assertEquals(ErrorCode.ERROR_CODE_NONE, committed.getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NONE, only(committed));
        OffsetFetchPartitionResponse offset = fetched("orders", 2);
        assertEquals(42, offset.getCommittedOffset());
        assertEquals(-1, offset.getCommittedLeaderEpoch());
        assertEquals(-1, fetched("orders", 3).getCommittedOffset(), "nothing committed");
        assertEquals(h.clock.wallMs(), h.store.offsets("billing").get(0).getCommitTimeMs());
    }

    @Test
    void staleAndUnknownMembersCannotCommit() {
        h.heartbeat(join("a", "orders"));
        h.heartbeat(join("b", "orders"));
        SortedSet<TopicIdPartition> kept = assigned(h.heartbeat(beat("a", 1, h.partitions("orders", 0, 1, 2, 3))));
        h.heartbeat(beat("a", 1, kept));
        assertEquals(2, h.group().member("a").memberEpoch());

        assertEquals(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, h.commit("a", 3, "orders", 0, 5).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, only(h.commit("a", 0, "orders", 0, 5)));
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, h.commit("zz", 1, "orders", 0, 5).getErrorCode());
        TopicIdPartition keptPartition = kept.first();
        int revoked = h.partitions("orders", 0, 1, 2, 3).stream().filter(p -> !kept.contains(p)).findFirst()
                .orElseThrow().partition();
        assertEquals(ErrorCode.ERROR_CODE_NONE, only(h.commit("a", 1, "orders", keptPartition.partition(), 5)),
                "previous epoch, partition still owned");
        assertEquals(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, only(h.commit("a", 1, "orders", revoked, 5)),
                "previous epoch, partition given up");
        assertEquals(-1, fetched("orders", revoked).getCommittedOffset());
        assertEquals(5, fetched("orders", keptPartition.partition()).getCommittedOffset());
    }

    @Test
    void simpleCommitsNeedAGroupWithoutMembers() {
        OffsetCommitResponse noGroup = h.commit("", -1, "orders", 0, 7);
        assertEquals(ErrorCode.ERROR_CODE_NONE, only(noGroup), "a group that exists only through its offsets");
        assertEquals(7, fetched("orders", 0).getCommittedOffset());
        assertTrue(h.store.group("billing").isEmpty(), "no group record is created");

        h.heartbeat(join("a", "orders"));
        OffsetCommitResponse busy = h.commit("", -1, "orders", 0, 8);
        assertEquals(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, busy.getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, only(busy));
        assertEquals(7, fetched("orders", 0).getCommittedOffset());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, h.commit("", 4, "orders", 0, 8).getErrorCode());

        h.heartbeat(CoordinatorHarness.request("a", 1).setMemberEpoch(-1).build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, only(h.commit("", -1, "orders", 0, 9)), "empty again");
        assertEquals(9, fetched("orders", 0).getCommittedOffset());
    }

    @Test
    void eachPartitionIsCheckedAndTheValidOnesAreStored() {
        h.heartbeat(join("a", "orders"));
        OffsetCommitRequest request = OffsetCommitRequest.newBuilder().setGroupId("billing").setMemberId("a")
                .setMemberEpoch(1)
                .addTopics(OffsetCommitTopic.newBuilder().setName("orders")
                        .addPartitions(partition(0, 10, "x".repeat(4096)))
                        .addPartitions(partition(1, 11, "é".repeat(2049)))
                        .addPartitions(partition(2, -1, ""))
                        .addPartitions(partition(9, 5, ""))
                        .addPartitions(partition(0, 12, ""))
                        .addPartitions(partition(3, 13, "").toBuilder().setCommittedLeaderEpoch(-2)))
                .addTopics(OffsetCommitTopic.newBuilder().setName("nope").addPartitions(partition(0, 1, "")))
                .build();
        OffsetCommitResponse response = h.commit(request);
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getTopics(0).getPartitions(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE,
                response.getTopics(0).getPartitions(1).getErrorCode(), "4098 bytes of UTF-8");
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, response.getTopics(0).getPartitions(2).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                response.getTopics(0).getPartitions(3).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, response.getTopics(0).getPartitions(4).getErrorCode(),
                "partition 0 twice");
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, response.getTopics(0).getPartitions(5).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                response.getTopics(1).getPartitions(0).getErrorCode());
        assertEquals(1, h.store.offsets("billing").size());
        assertEquals(10, fetched("orders", 0).getCommittedOffset());
        assertEquals("x".repeat(4096), fetched("orders", 0).getMetadata());
    }

    private static OffsetCommitPartition partition(int partition, long offset, String metadata) {
        return OffsetCommitPartition.newBuilder().setPartition(partition).setCommittedOffset(offset)
                .setCommittedLeaderEpoch(3).setMetadata(metadata).build();
    }

    @Test
    void fetchWithoutTopicsReturnsEveryCommittedOffset() {
        h.catalog.create("payments", 2);
        h.commit("", -1, "orders", 1, 3);
        h.commit("", -1, "payments", 0, 4);
        OffsetFetchResponse all = h.coordinator.handleOffsetFetch(OffsetFetchRequest.newBuilder()
                .setGroupId("billing").build(), h.now()).join();
        assertEquals(2, all.getTopicsCount());
        assertEquals("orders", all.getTopics(0).getName());
        assertEquals(3, all.getTopics(0).getPartitions(0).getCommittedOffset());
        assertEquals(4, all.getTopics(1).getPartitions(0).getCommittedOffset());

        OffsetFetchResponse topicOnly = h.coordinator.handleOffsetFetch(OffsetFetchRequest.newBuilder()
                .setGroupId("billing").addTopics(OffsetFetchTopic.newBuilder().setName("orders")).build(), h.now())
                .join();
        assertEquals(1, topicOnly.getTopics(0).getPartitionsCount());

        OffsetFetchResponse unknown = h.coordinator.handleOffsetFetch(OffsetFetchRequest.newBuilder()
                .setGroupId("billing").addTopics(OffsetFetchTopic.newBuilder().setName("nope").addPartitions(0))
                .build(), h.now()).join();
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                unknown.getTopics(0).getPartitions(0).getErrorCode());
        assertEquals(-1, unknown.getTopics(0).getPartitions(0).getCommittedOffset());
    }

    @Test
    void aCommitWaitsForTheGroupsWriteInFlightAndIsCheckedAgainstItsOutcome() {
        h.heartbeat(join("a", "orders"));
        h.store.defer(true);
        CompletableFuture<?> rejoin = h.send(CoordinatorHarness.request("a", 1).setMemberEpoch(-1).build());
        CompletableFuture<OffsetCommitResponse> commit = h.coordinator.handleOffsetCommit(OffsetCommitRequest
                .newBuilder().setGroupId("billing").setMemberId("a").setMemberEpoch(1)
                .addTopics(OffsetCommitTopic.newBuilder().setName("orders").addPartitions(partition(0, 1, "")))
                .build(), h.now());
        assertEquals(1, h.store.pendingWrites(), "only the leave is in flight");
        assertTrue(!rejoin.isDone() && !commit.isDone());
        h.store.completeNext();
        h.coordinator.poll(h.now());
        assertTrue(rejoin.isDone());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, commit.join().getErrorCode(),
                "the member left before the commit was checked");
    }

    @Test
    void requestsNamingTooManyPartitionsAreRefused() {
        CoordinatorHarness small = new CoordinatorHarness(new GroupCoordinatorConfig(3_000, 500, 6_000, 10,
                "uniform", 4096, 2, 30_000, 100));
        small.catalog.create("orders", 4);
        OffsetCommitRequest three = OffsetCommitRequest.newBuilder().setGroupId("billing").setMemberEpoch(-1)
                .addTopics(OffsetCommitTopic.newBuilder().setName("orders").addPartitions(partition(0, 1, ""))
                        .addPartitions(partition(1, 1, "")).addPartitions(partition(2, 1, ""))).build();
        OffsetCommitResponse response = small.commit(three);
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE, response.getErrorCode());
        assertEquals(3, response.getTopics(0).getPartitionsCount());
        assertEquals(0, small.store.writes());
    }
}
