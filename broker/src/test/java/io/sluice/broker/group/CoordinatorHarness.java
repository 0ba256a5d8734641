package io.sluice.broker.group;

import io.sluice.broker.group.internal.ConsumerGroup;
import io.sluice.broker.group.internal.PartitionSets;
import io.sluice.common.ManualClock;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.OffsetCommitPartition;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetCommitTopic;
import io.sluice.proto.v1.SubscribedTopics;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A coordinator on fakes, driven by hand: a manual clock, an in-memory store, topics, and this node
 * as coordinator in epoch 1. Helpers build the requests a consumer would send.
 */
final class CoordinatorHarness {
    static final String GROUP = "billing";

    final InMemoryGroupStore store = new InMemoryGroupStore();
    final FakeTopicCatalog catalog = new FakeTopicCatalog();
    final FakeLocator locator = new FakeLocator();
    final FakeLogEndOffsets logEnds = new FakeLogEndOffsets();
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final GroupCoordinatorConfig config;
    GroupCoordinator coordinator;

    CoordinatorHarness() {
        this(GroupCoordinatorConfig.defaults().withTimeouts(3_000, 500, 6_000));
    }

    CoordinatorHarness(GroupCoordinatorConfig config) {
        this.config = config;
        locator.becomeCoordinator(1, 0);
        coordinator = newCoordinator();
    }

    GroupCoordinator newCoordinator() {
        return new GroupCoordinator(config, new GroupCoordinatorDependencies(store, catalog, logEnds, locator, clock),
                () -> { });
    }

    long now() {
        return clock.monotonicMs();
    }

    /** Moves time and polls. */
    void advance(long ms) {
        clock.advanceMs(ms);
        coordinator.poll(now());
    }

    ConsumerGroup group() {
        return coordinator.slot(GROUP).orElseThrow().model();
    }

    CompletableFuture<ConsumerGroupHeartbeatResponse> send(ConsumerGroupHeartbeatRequest request) {
        return coordinator.handleHeartbeat(request, "10.1.1.1", now());
    }

    /** Sends and expects an answer at once (the store completes writes immediately). */
    ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest request) {
        CompletableFuture<ConsumerGroupHeartbeatResponse> answer = send(request);
        if (!answer.isDone()) {
            throw new AssertionError("heartbeat not answered at once: " + request);
        }
        return answer.join();
    }

    static ConsumerGroupHeartbeatRequest.Builder request(String memberId, int epoch) {
        return ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(epoch);
    }

    static ConsumerGroupHeartbeatRequest join(String memberId, String... topics) {
        return request(memberId, 0).setSubscribedTopics(SubscribedTopics.newBuilder()
                .addAllNames(Arrays.asList(topics))).setOwnedPartitions(Assignment.getDefaultInstance()).build();
    }

    static ConsumerGroupHeartbeatRequest joinStatic(String memberId, String instanceId, String... topics) {
        return join(memberId, topics).toBuilder().setInstanceId(instanceId).build();
    }

    /** A steady heartbeat reporting {@code owned}. */
    static ConsumerGroupHeartbeatRequest beat(String memberId, int epoch, Collection<TopicIdPartition> owned) {
        return request(memberId, epoch).setOwnedPartitions(PartitionSets.toAssignment(PartitionSets.of(owned),
                Map.of())).build();
    }

    /** A steady heartbeat that leaves owned_partitions unset ("unchanged"). */
    static ConsumerGroupHeartbeatRequest beat(String memberId, int epoch) {
        return request(memberId, epoch).build();
    }

    /** Partitions {@code indexes} of topic {@code name}. */
    SortedSet<TopicIdPartition> partitions(String name, int... indexes) {
        TreeSet<TopicIdPartition> result = new TreeSet<>();
        for (int index : indexes) {
            result.add(new TopicIdPartition(catalog.idOf(name), index));
        }
        return result;
    }

    static SortedSet<TopicIdPartition> assigned(ConsumerGroupHeartbeatResponse response) {
        if (!response.hasAssignment()) {
            throw new AssertionError("answer without assignment: " + response);
        }
        return PartitionSets.fromAssignment(response.getAssignment());
    }

    OffsetCommitResponse commit(String memberId, int epoch, String topic, int partition, long offset) {
        OffsetCommitRequest request = OffsetCommitRequest.newBuilder().setGroupId(GROUP).setMemberId(memberId)
                .setMemberEpoch(epoch).addTopics(OffsetCommitTopic.newBuilder().setName(topic)
                        .addPartitions(OffsetCommitPartition.newBuilder().setPartition(partition)
                                .setCommittedOffset(offset).setCommittedLeaderEpoch(-1)))
                .build();
        return commit(request);
    }

    OffsetCommitResponse commit(OffsetCommitRequest request) {
        CompletableFuture<OffsetCommitResponse> answer = coordinator.handleOffsetCommit(request, now());
        if (!answer.isDone()) {
            throw new AssertionError("commit not answered at once: " + request);
        }
        return answer.join();
    }
}
