package io.sluice.metastore.internal;

import static io.sluice.metastore.Commands.activeBrokers;
import static io.sluice.metastore.Commands.brokerState;
import static io.sluice.metastore.Commands.changeIsr;
import static io.sluice.metastore.Commands.commit;
import static io.sluice.metastore.Commands.createTopic;
import static io.sluice.metastore.Commands.deleteTopic;
import static io.sluice.metastore.Commands.initCluster;
import static io.sluice.metastore.Commands.register;
import static io.sluice.metastore.Commands.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.metastore.InMemoryMetaStore;
import io.sluice.metastore.MetadataDelta;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.MetadataUpdate;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.AllocateProducerIds;
import io.sluice.proto.internal.v1.AlterTopicConfigs;
import io.sluice.proto.internal.v1.ChangePartitions;
import io.sluice.proto.internal.v1.CommandBatch;
import io.sluice.proto.internal.v1.CommitOffsets;
import io.sluice.proto.internal.v1.CreatePartitions;
import io.sluice.proto.internal.v1.DeleteGroup;
import io.sluice.proto.internal.v1.GroupMemberRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.PartitionChange;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.UnregisterBroker;
import io.sluice.proto.internal.v1.UpsertGroup;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ReplicaAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every metadata command, its success and each of its business failures. */
class MetadataApplierTest {
    private static final String T = uuid(1);
    private InMemoryMetaStore store;
    private final List<MetadataUpdate> updates = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = new InMemoryMetaStore(0);
        store.addListener(updates::add);
    }

    private void ok(MetaCommand cmd) {
        MetaResult r = store.apply(cmd);
        assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.getErrorMessage());
    }

    private void refused(ErrorCode code, MetaCommand cmd) {
        MetadataImage before = store.image();
        MetaResult r = store.apply(cmd);
        assertEquals(code, r.getErrorCode(), r.getErrorMessage());
        assertTrue(before.sameState(store.image()), "a refused command changed the state");
        assertEquals(before.lastAppliedIndex() + 1, store.image().lastAppliedIndex());
        assertEquals(store.image().lastAppliedIndex(), r.getAppliedIndex());
    }

    @Test
    void initClusterOnceWithAUuid() {
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, initCluster("not-a-uuid"));
        ok(initCluster(uuid(9)));
        ok(initCluster(uuid(9)));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, initCluster(uuid(8)));
        assertEquals(uuid(9), store.image().clusterId());
    }

    @Test
    void registrationStartsFencedWithTheLogIndexAsEpoch() {
        MetaResult r = store.apply(register(1, "a"));
        assertEquals(1, r.getBrokerRegistered().getBrokerEpoch());
        assertEquals(BrokerState.BROKER_STATE_FENCED, store.image().broker(1).getState());
        assertEquals(1, store.apply(register(1, "a")).getBrokerRegistered().getBrokerEpoch(), "retry is idempotent");
        ok(brokerState(1, 1, BrokerState.BROKER_STATE_ACTIVE, List.of()));
        refused(ErrorCode.ERROR_CODE_DUPLICATE_BROKER_REGISTRATION, register(1, "b"));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, register(-1, "c"));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, register(2, ""));
    }

    @Test
    void brokerStateChangesAreConditionalAndFollowTheLifecycle() {
        long epoch = store.apply(register(1, "a")).getBrokerRegistered().getBrokerEpoch();
        refused(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, brokerState(1, epoch + 1, BrokerState.BROKER_STATE_ACTIVE,
                List.of()));
        List<PartitionChange> none = List.of();
        refused(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, brokerState(7, 1, BrokerState.BROKER_STATE_ACTIVE, none));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, brokerState(1, epoch, BrokerState.BROKER_STATE_FENCED, none));
        ok(brokerState(1, epoch, BrokerState.BROKER_STATE_ACTIVE, none));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, brokerState(1, epoch, BrokerState.BROKER_STATE_ACTIVE, none));
        ok(brokerState(1, epoch, BrokerState.BROKER_STATE_SHUTTING_DOWN, none));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, brokerState(1, epoch, BrokerState.BROKER_STATE_ACTIVE, none));
        ok(brokerState(1, epoch, BrokerState.BROKER_STATE_FENCED, none));
    }

    @Test
    void fencingMustTakeTheBrokerOutOfEveryIsr() {
        activeBrokers(store, 2);
        ok(createTopic("t", T, List.of(List.of(0, 1))));
        long epoch = store.image().broker(0).getBrokerEpoch();
        refused(ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH, brokerState(0, epoch, BrokerState.BROKER_STATE_FENCED,
                List.of()));
        PartitionChange c = PartitionChange.newBuilder().setTopicId(T).setPartition(0).setExpectedPartitionEpoch(0)
                .setSetIsr(true).addIsr(1).setLeader(1).build();
        ok(brokerState(0, epoch, BrokerState.BROKER_STATE_FENCED, List.of(c)));
        PartitionRecord p = store.image().partition(T, 0);
        assertEquals(1, p.getLeader());
        assertEquals(1, p.getLeaderEpoch());
        assertEquals(1, p.getPartitionEpoch());
        assertTrue(store.image().partitionsInIsr(0).isEmpty());
    }

    @Test
    void unregisterOnlyAFencedBroker() {
        activeBrokers(store, 1);
        long epoch = store.image().broker(0).getBrokerEpoch();
        MetaCommand unregister = MetaCommand.newBuilder().setUnregisterBroker(UnregisterBroker.newBuilder()
                .setBrokerId(0).setExpectedBrokerEpoch(epoch)).build();
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, unregister);
        refused(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, MetaCommand.newBuilder().setUnregisterBroker(
                UnregisterBroker.newBuilder().setBrokerId(0).setExpectedBrokerEpoch(epoch + 5)).build());
        ok(brokerState(0, epoch, BrokerState.BROKER_STATE_FENCED, List.of()));
        ok(unregister);
        assertNull(store.image().broker(0));
    }

    @Test
    void createTopicPlacesIsrOnActiveReplicasAndEmitsDeltas() {
        activeBrokers(store, 3);
        store.apply(register(5, "fenced"));
        updates.clear();
        ok(createTopic("orders", T, List.of(List.of(5, 1, 2), List.of(2, 0, 1)), Map.of("retention.ms", "1000")));
        PartitionRecord p0 = store.image().partition(T, 0);
        assertEquals(List.of(1, 2), p0.getIsrList());
        assertEquals(1, p0.getLeader());
        assertEquals(2, store.image().partition(T, 1).getLeader());
        assertEquals("1000", store.image().topicByName("orders").topic().getConfigsMap().get("retention.ms"));
        List<MetadataDelta> deltas = updates.get(0).deltas();
        assertTrue(deltas.get(0) instanceof MetadataDelta.TopicCreated);
        MetadataDelta.PartitionChanged pc = (MetadataDelta.PartitionChanged) deltas.get(1);
        assertTrue(pc.becameLeader(1));
        assertTrue(pc.becameFollower(2));
    }

    @Test
    void createTopicRefusals() {
        activeBrokers(store, 2);
        store.apply(register(7, "fenced"));
        ok(createTopic("t", T, List.of(List.of(0))));
        refused(ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS, createTopic("t", uuid(2), List.of(List.of(0))));
        refused(ErrorCode.ERROR_CODE_INVALID_TOPIC, createTopic("a/b", uuid(2), List.of(List.of(0))));
        refused(ErrorCode.ERROR_CODE_INVALID_TOPIC, createTopic("..", uuid(2), List.of(List.of(0))));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, createTopic("u", T, List.of(List.of(0))));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, createTopic("u", "x", List.of(List.of(0))));
        refused(ErrorCode.ERROR_CODE_INVALID_CONFIG, createTopic("u", uuid(2), List.of(List.of(0)),
                Map.of("segment.bytes", "12")));
        refused(ErrorCode.ERROR_CODE_INVALID_CONFIG, createTopic("u", uuid(2), List.of(List.of(0)),
                Map.of("no.such.key", "1")));
        refused(ErrorCode.ERROR_CODE_INVALID_PARTITIONS, createTopic("u", uuid(2), List.of()));
        refused(ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, createTopic("u", uuid(2), List.of(List.of(0, 0))));
        refused(ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, createTopic("u", uuid(2), List.of(List.of(9))));
        refused(ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, createTopic("u", uuid(2), List.of(List.of(7))));
        refused(ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, createTopic("u", uuid(2),
                List.of(List.of(0), List.of(0, 1))));
    }

    @Test
    void deleteTopicRemovesPartitionsAndOffsets() {
        activeBrokers(store, 1);
        ok(createTopic("t", T, List.of(List.of(0), List.of(0))));
        ok(commit("g", T, 1, 42));
        updates.clear();
        ok(deleteTopic(T));
        assertNull(store.image().topicByName("t"));
        assertTrue(store.image().offsets("g").isEmpty());
        assertTrue(store.image().partitionsInIsr(0).isEmpty());
        assertTrue(updates.get(0).deltas().stream().anyMatch(d -> d instanceof MetadataDelta.OffsetsDeleted));
        refused(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, deleteTopic(T));
        ok(createTopic("t", uuid(3), List.of(List.of(0))));
    }

    @Test
    void createPartitionsContinuesTheTopic() {
        activeBrokers(store, 2);
        ok(createTopic("t", T, List.of(List.of(0, 1))));
        ok(addPartitions(T, 1, List.of(1, 0)));
        assertEquals(2, store.image().topic(T).partitionCount());
        refused(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, addPartitions(uuid(5), 0, List.of(0)));
        refused(ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, addPartitions(T, 5, List.of(0, 1)));
        refused(ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, addPartitions(T, 2, List.of(0)));
        refused(ErrorCode.ERROR_CODE_INVALID_PARTITIONS, MetaCommand.newBuilder().setCreatePartitions(
                CreatePartitions.newBuilder().setTopicId(T)).build());
    }

    private static MetaCommand addPartitions(String topicId, int index, List<Integer> replicas) {
        return MetaCommand.newBuilder().setCreatePartitions(CreatePartitions.newBuilder().setTopicId(topicId)
                .addAssignments(ReplicaAssignment.newBuilder().setPartition(index).addAllBrokerIds(replicas))).build();
    }

    @Test
    void alterTopicConfigsSetsAndDeletesValidKeys() {
        activeBrokers(store, 1);
        ok(createTopic("t", T, List.of(List.of(0)), Map.of("retention.ms", "5")));
        ok(alter(T, Map.of("cleanup.policy", "delete"), List.of("retention.ms")));
        assertEquals(Map.of("cleanup.policy", "delete"), store.image().topic(T).topic().getConfigsMap());
        refused(ErrorCode.ERROR_CODE_INVALID_CONFIG, alter(T, Map.of("cleanup.policy", "compact"), List.of()));
        refused(ErrorCode.ERROR_CODE_INVALID_CONFIG, alter(T, Map.of(), List.of("bogus")));
        refused(ErrorCode.ERROR_CODE_INVALID_CONFIG, alter(T, Map.of("flush.ms", "9"), List.of("flush.ms")));
        refused(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, alter(uuid(4), Map.of(), List.of()));
    }

    private static MetaCommand alter(String topicId, Map<String, String> set, List<String> delete) {
        return MetaCommand.newBuilder().setAlterTopicConfigs(AlterTopicConfigs.newBuilder().setTopicId(topicId)
                .putAllSet(set).addAllDelete(delete)).build();
    }

    @Test
    void partitionChangesAreCompareAndSetOnThePartitionEpoch() {
        activeBrokers(store, 3);
        ok(createTopic("t", T, List.of(List.of(0, 1, 2))));
        ok(changeIsr(T, 0, 0, List.of(0, 1)));
        refused(ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH, changeIsr(T, 0, 0, List.of(0)));
        refused(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA, changeIsr(T, 0, 1, List.of(1)));
        refused(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA, changeIsr(T, 0, 1, List.of(0, 5)));
        refused(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, changeIsr(T, 3, 0, List.of(0)));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, MetaCommand.newBuilder().setChangePartitions(
                ChangePartitions.newBuilder()).build());
        PartitionChange c = PartitionChange.newBuilder().setTopicId(T).setPartition(0).setExpectedPartitionEpoch(1)
                .build();
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, MetaCommand.newBuilder().setChangePartitions(
                ChangePartitions.newBuilder().addChanges(c).addChanges(c)).build());
        assertEquals(1, store.image().partition(T, 0).getPartitionEpoch());
    }

    @Test
    void emptyingTheIsrRecordsTheLastMembersAsEligibleLeaders() {
        activeBrokers(store, 2);
        ok(createTopic("t", T, List.of(List.of(0, 1))));
        ok(changeIsr(T, 0, 0, List.of(0)));
        long epoch = store.image().broker(0).getBrokerEpoch();
        PartitionChange out = PartitionChange.newBuilder().setTopicId(T).setPartition(0).setExpectedPartitionEpoch(1)
                .setSetIsr(true).setLeader(-1).build();
        ok(brokerState(0, epoch, BrokerState.BROKER_STATE_FENCED, List.of(out)));
        PartitionRecord p = store.image().partition(T, 0);
        assertEquals(List.of(0), p.getEligibleLeadersList());
        assertEquals(-1, p.getLeader());
    }

    /**
     * KIP-966: below the topic's min.insync.replicas the high watermark stands still, so every replica
     * removed from the ISR from the change that took it below keeps every committed record and stays
     * an eligible leader, until it may have lost writes or the ISR is back at the minimum.
     */
    @Test
    void replicasRemovedWhileTheIsrIsBelowTheTopicsMinimumStayEligible() {
        activeBrokers(store, 4);
        ok(createTopic("t", T, List.of(List.of(0, 1, 2, 3)), Map.of("min.insync.replicas", "3")));
        ok(changeIsr(T, 0, 0, List.of(0, 1, 2)));
        assertEquals(List.of(), store.image().partition(T, 0).getEligibleLeadersList(), "at the minimum: none");
        ok(changeIsr(T, 0, 1, List.of(0, 1)));
        assertEquals(List.of(2), store.image().partition(T, 0).getEligibleLeadersList(), "the one that took it below");
        ok(changeIsr(T, 0, 2, List.of(0)));
        assertEquals(List.of(2, 1), store.image().partition(T, 0).getEligibleLeadersList(), "and every one after");
        PartitionChange out = PartitionChange.newBuilder().setTopicId(T).setPartition(0).setExpectedPartitionEpoch(3)
                .setSetIsr(true).setLeader(-1).build();
        ok(brokerState(0, store.image().broker(0).getBrokerEpoch(), BrokerState.BROKER_STATE_FENCED, List.of(out)));
        PartitionRecord offline = store.image().partition(T, 0);
        assertEquals(List.of(), offline.getIsrList());
        assertEquals(List.of(2, 1, 0), offline.getEligibleLeadersList(), "the last member joins them");

        ok(brokerState(1, store.image().broker(1).getBrokerEpoch(), BrokerState.BROKER_STATE_FENCED, List.of()));
        ok(register(1, "inc-1b"));
        assertEquals(List.of(2, 0), store.image().partition(T, 0).getEligibleLeadersList(),
                "a log that may have lost writes is dropped");

        PartitionChange elect = PartitionChange.newBuilder().setTopicId(T).setPartition(0).setExpectedPartitionEpoch(5)
                .setSetIsr(true).addIsr(2).setLeader(2).build();
        ok(MetaCommand.newBuilder().setChangePartitions(ChangePartitions.newBuilder().addChanges(elect)).build());
        PartitionRecord led = store.image().partition(T, 0);
        assertEquals(2, led.getLeader());
        assertEquals(List.of(0), led.getEligibleLeadersList(), "the elected one in the ISR, the other eligible");
        ok(brokerState(0, store.image().broker(0).getBrokerEpoch(), BrokerState.BROKER_STATE_ACTIVE, List.of()));
        ok(changeIsr(T, 0, 6, List.of(2, 3, 0)));
        assertEquals(List.of(), store.image().partition(T, 0).getEligibleLeadersList(), "back at the minimum: none");
    }

    @Test
    void withoutItsOwnMinimumATopicKeepsOnlyTheLastMembersEligible() {
        activeBrokers(store, 3);
        ok(createTopic("t", T, List.of(List.of(0, 1, 2))));
        ok(changeIsr(T, 0, 0, List.of(0)));
        assertEquals(List.of(), store.image().partition(T, 0).getEligibleLeadersList(),
                "brokers may default min.insync.replicas to anything; the controller assumes 1");
    }

    @Test
    void loweringTheMinimumToTheIsrsSizeEndsEligibility() {
        activeBrokers(store, 3);
        ok(createTopic("t", T, List.of(List.of(0, 1, 2), List.of(1, 2, 0)), Map.of("min.insync.replicas", "3")));
        ok(changeIsr(T, 0, 0, List.of(0, 1)));
        ok(changeIsr(T, 1, 0, List.of(1)));
        ok(alter(T, Map.of("min.insync.replicas", "4"), List.of()));
        assertEquals(List.of(2), store.image().partition(T, 0).getEligibleLeadersList(), "a higher minimum keeps them");
        ok(alter(T, Map.of("min.insync.replicas", "2"), List.of()));
        PartitionRecord p0 = store.image().partition(T, 0);
        assertEquals(List.of(), p0.getEligibleLeadersList(), "ISR {0, 1} reaches the new minimum");
        assertEquals(2, p0.getPartitionEpoch());
        assertEquals(List.of(2, 0), store.image().partition(T, 1).getEligibleLeadersList(), "ISR {1} does not");
        ok(alter(T, Map.of(), List.of("min.insync.replicas")));
        assertEquals(List.of(), store.image().partition(T, 1).getEligibleLeadersList(), "unset: the minimum is 1");
    }

    @Test
    void aBrokerBackWithALogThatMayHaveLostWritesIsNoLongerAnEligibleLeader() {
        activeBrokers(store, 3);
        ok(createTopic("t", T, List.of(List.of(0, 1), List.of(0, 2), List.of(1, 2))));
        List<PartitionChange> out = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            ok(changeIsr(T, p, 0, List.of(0)));
            out.add(PartitionChange.newBuilder().setTopicId(T).setPartition(p).setExpectedPartitionEpoch(1)
                    .setSetIsr(true).setLeader(-1).build());
        }
        ok(brokerState(0, store.image().broker(0).getBrokerEpoch(), BrokerState.BROKER_STATE_FENCED, out));
        assertEquals(List.of(0), store.image().partition(T, 0).getEligibleLeadersList());

        MetaCommand intact = register(0, "inc-0b");
        ok(intact.toBuilder().setRegisterBroker(intact.getRegisterBroker().toBuilder().setLogIntact(true)).build());
        for (int p = 0; p < 2; p++) {
            assertEquals(List.of(0), store.image().partition(T, p).getEligibleLeadersList(), "a clean stop keeps it");
            assertEquals(2, store.image().partition(T, p).getPartitionEpoch());
        }

        ok(brokerState(0, store.image().broker(0).getBrokerEpoch(), BrokerState.BROKER_STATE_ACTIVE, List.of()));
        ok(brokerState(0, store.image().broker(0).getBrokerEpoch(), BrokerState.BROKER_STATE_FENCED, List.of()));
        ok(register(0, "inc-0c"));
        for (int p = 0; p < 2; p++) {
            PartitionRecord record = store.image().partition(T, p);
            assertEquals(List.of(), record.getEligibleLeadersList(), "a log that may have lost writes is not eligible");
            assertEquals(3, record.getPartitionEpoch());
            assertEquals(-1, record.getLeader());
        }
        assertEquals(List.of(1, 2), store.image().partition(T, 2).getIsrList(), "other partitions untouched");
        assertEquals(0, store.image().partition(T, 2).getPartitionEpoch());
    }

    @Test
    void groupsAreReplacedConditionallyAndOffsetsCheckMembers() {
        activeBrokers(store, 1);
        ok(createTopic("t", T, List.of(List.of(0))));
        GroupRecord g1 = GroupRecord.newBuilder().setGroupId("g").setGroupEpoch(1).addMembers(
                GroupMemberRecord.newBuilder().setMemberId("m").setMemberEpoch(1)).build();
        ok(upsert(0, g1));
        refused(ErrorCode.ERROR_CODE_NOT_COORDINATOR, upsert(0, g1));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, upsert(1, g1.toBuilder().setGroupEpoch(0).build()));
        refused(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, upsert(0, g1.toBuilder().setGroupId("").build()));
        ok(commitAs("g", "m", 1, 10));
        refused(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, commitAs("g", "m", 3, 11));
        refused(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, commitAs("g", "x", 1, 11));
        refused(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, commitAs("h", "m", 1, 11));
        refused(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, commit("g", T, 0, 12));
        refused(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, commit("e", T, 4, 1));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, commit("e", T, 0, -5));
        OffsetRecord first = OffsetRecord.newBuilder().setTopicId(T).setPartition(0).setCommittedOffset(1).build();
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, MetaCommand.newBuilder().setCommitOffsets(CommitOffsets
                .newBuilder().setGroupId("e").addOffsets(first).addOffsets(first.toBuilder().setCommittedOffset(2)))
                .build());
        refused(ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE, MetaCommand.newBuilder().setCommitOffsets(
                CommitOffsets.newBuilder().setGroupId("e").addOffsets(OffsetRecord.newBuilder().setTopicId(T)
                        .setCommittedOffset(1).setMetadata("x".repeat(5000)))).build());
        assertEquals(10, store.image().committedOffset("g", new TopicPartitionKey(T, 0)).getCommittedOffset());
        refused(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, deleteGroup("g"));
        ok(upsert(1, GroupRecord.newBuilder().setGroupId("g").setGroupEpoch(2).build()));
        ok(deleteGroup("g"));
        assertNull(store.image().group("g"));
        assertTrue(store.image().offsets("g").isEmpty());
        refused(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, deleteGroup("g"));
    }

    private static MetaCommand upsert(int expected, GroupRecord g) {
        return MetaCommand.newBuilder().setUpsertGroup(UpsertGroup.newBuilder().setExpectedGroupEpoch(expected)
                .setGroup(g)).build();
    }

    private static MetaCommand commitAs(String group, String member, int epoch, long offset) {
        return MetaCommand.newBuilder().setCommitOffsets(CommitOffsets.newBuilder().setGroupId(group)
                .setMemberId(member).setMemberEpoch(epoch).setCommitTimeMs(77).addOffsets(OffsetRecord.newBuilder()
                        .setTopicId(T).setPartition(0).setCommittedOffset(offset))).build();
    }

    private static MetaCommand deleteGroup(String g) {
        return MetaCommand.newBuilder().setDeleteGroup(DeleteGroup.newBuilder().setGroupId(g)).build();
    }

    @Test
    void producerIdBlocksAreDisjointAndNeedTheBrokerEpoch() {
        activeBrokers(store, 1);
        long epoch = store.image().broker(0).getBrokerEpoch();
        MetaResult a = store.apply(allocate(0, epoch, 100));
        MetaResult b = store.apply(allocate(0, epoch, 100));
        assertEquals(0, a.getProducerIdBlock().getFirstProducerId());
        assertEquals(100, b.getProducerIdBlock().getFirstProducerId());
        refused(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, allocate(0, epoch + 1, 100));
        refused(ErrorCode.ERROR_CODE_INVALID_REQUEST, allocate(0, epoch, 0));
    }

    private static MetaCommand allocate(int broker, long epoch, int size) {
        return MetaCommand.newBuilder().setAllocateProducerIds(AllocateProducerIds.newBuilder().setBrokerId(broker)
                .setBrokerEpoch(epoch).setBlockSize(size)).build();
    }

    private static MetaCommand batch(MetaCommand... commands) {
        return MetaCommand.newBuilder().setBatch(CommandBatch.newBuilder().addAllCommands(List.of(commands))).build();
    }

    @Test
    void aBatchAppliesInOrderAndAnswersEachCommand() {
        activeBrokers(store, 2);
        ok(createTopic("t", T, List.of(List.of(0, 1))));
        updates.clear();
        long index = store.image().lastAppliedIndex() + 1;
        MetaResult r = store.apply(batch(commit("g", T, 0, 5), changeIsr(T, 0, 0, List.of(0)), commit("g", T, 9, 1),
                changeIsr(T, 0, 0, List.of(0, 1)), changeIsr(T, 0, 1, List.of(0, 1)), commit("g", T, 0, 6)));
        assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode());
        List<ErrorCode> codes = r.getBatchResults().getResultsList().stream().map(MetaResult::getErrorCode).toList();
        assertEquals(List.of(ErrorCode.ERROR_CODE_NONE, ErrorCode.ERROR_CODE_NONE,
                ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH,
                ErrorCode.ERROR_CODE_NONE, ErrorCode.ERROR_CODE_NONE), codes, "each on the state the previous left");
        assertTrue(r.getBatchResults().getResultsList().stream().allMatch(x -> x.getAppliedIndex() == index));
        assertEquals(index, store.image().lastAppliedIndex(), "one log entry");
        assertEquals(6, store.image().committedOffset("g", new TopicPartitionKey(T, 0)).getCommittedOffset());
        assertEquals(2, store.image().partition(T, 0).getPartitionEpoch());
        assertEquals(1, updates.size(), "one update per log entry");
        List<MetadataDelta> deltas = updates.get(0).deltas();
        assertEquals(4, deltas.size());
        assertEquals(List.of(0), ((MetadataDelta.PartitionChanged) deltas.get(1)).current().getIsrList());
        assertEquals(List.of(0, 1), ((MetadataDelta.PartitionChanged) deltas.get(2)).current().getIsrList());
    }

    @Test
    void aBatchHoldsNeitherBatchesNorRegistrations() {
        activeBrokers(store, 1);
        ok(createTopic("t", T, List.of(List.of(0))));
        MetaResult r = store.apply(batch(register(4, "x"), batch(commit("g", T, 0, 1)), commit("g", T, 0, 2)));
        List<ErrorCode> codes = r.getBatchResults().getResultsList().stream().map(MetaResult::getErrorCode).toList();
        assertEquals(List.of(ErrorCode.ERROR_CODE_INVALID_REQUEST, ErrorCode.ERROR_CODE_INVALID_REQUEST,
                ErrorCode.ERROR_CODE_NONE), codes);
        assertNull(store.image().broker(4));
        assertEquals(2, store.image().committedOffset("g", new TopicPartitionKey(T, 0)).getCommittedOffset());
        assertFalse(MetadataApplier.batchable(register(4, "x")));
        assertTrue(MetadataApplier.batchable(commit("g", T, 0, 2)));
    }

    @Test
    void invariantsAreCheckedPerCommandOfABatch() {
        activeBrokers(store, 2);
        ok(createTopic("t", T, List.of(List.of(0, 1))));
        long epoch = store.image().broker(1).getBrokerEpoch();
        PartitionChange out = PartitionChange.newBuilder().setTopicId(T).setPartition(0).setExpectedPartitionEpoch(1)
                .setSetIsr(true).addIsr(0).build();
        // Broker 1 re-joins the ISR and is then fenced out of it: checked against the final state alone,
        // the first change (ISR {0,1}) would name a fenced broker.
        MetaResult r = store.apply(batch(changeIsr(T, 0, 0, List.of(0, 1)),
                brokerState(1, epoch, BrokerState.BROKER_STATE_FENCED, List.of(out))));
        assertTrue(r.getBatchResults().getResultsList().stream()
                .allMatch(x -> x.getErrorCode() == ErrorCode.ERROR_CODE_NONE), r.toString());
        assertEquals(List.of(0), store.image().partition(T, 0).getIsrList());
    }

    @Test
    void anEmptyCommandStopsTheNode() {
        assertThrows(IllegalStateException.class, () -> MetadataApplier.apply(MetadataImage.EMPTY,
                MetaCommand.getDefaultInstance(), 1, 1));
    }
}
