package io.sluice.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.group.internal.GroupStates;
import io.sluice.broker.group.internal.Member;
import io.sluice.broker.group.internal.PartitionSets;
import io.sluice.proto.internal.v1.GroupMemberRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupState;
import io.sluice.proto.v1.OffsetCommitPartition;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetCommitTopic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A seeded simulation of one group under churn: consumers join, leave, crash, bounce as static
 * members, revoke slowly (some slower than the rebalance timeout); topics grow, appear and vanish;
 * store writes are delayed, lost, or applied with a lost acknowledgement; the coordinator fails over
 * mid-rebalance and a new one continues from the store. After every step it checks:
 * <ul>
 *   <li>no partition is owned by two members, by what the members themselves report (consumers the
 *       coordinator has removed are zombies until they hear so, and are left out) and by the stored
 *       state;</li>
 *   <li>epochs never go back, as consumers see them and as the store holds them;</li>
 *   <li>commits with a stale epoch or from removed members are refused and never stored.</li>
 * </ul>
 * Then the chaos stops and every subscribed partition must end up owned exactly once, balanced, with
 * the group STABLE. Seed printed; replay with -Dsluice.seed=N.
 */
class GroupSimulationTest {
    private static final long ZOMBIE_OFFSET = 1_000_000_000_000L;
    private static final List<String> TOPICS = List.of("t0", "t1", "t2");
    private static final Set<ErrorCode> COMMIT_OUTCOMES = Set.of(ErrorCode.ERROR_CODE_NONE,
            ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID,
            ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT,
            ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.ERROR_CODE_NOT_COORDINATOR,
            ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE);

    private final CoordinatorHarness h = new CoordinatorHarness(new GroupCoordinatorConfig(3_000, 500, 4_000, 100,
            "uniform", 4096, 10_000, 2_000, 1000));
    private final List<SimConsumer> consumers = new ArrayList<>();
    private final List<CompletableFuture<OffsetCommitResponse>> forbiddenCommits = new ArrayList<>();
    private final Map<String, Integer> storedEpochs = new HashMap<>();
    private Random random;
    private int nextMember;
    private long coordinatorEpoch = 1;
    private long offsetCounter;
    private int failovers;

    /** One run; {@code -Dsluice.sim.runs=N} runs N seeds in a row (the first one replayable as given). */
    @Test
    void aGroupUnderChurnKeepsItsInvariantsAndConverges() {
        long seed = Long.getLong("sluice.seed", System.nanoTime());
        int runs = Integer.getInteger("sluice.sim.runs", 1);
        for (int run = 0; run < runs; run++) {
            new GroupSimulationTest().run(seed + run);
        }
    }

    private void run(long seed) {
        System.out.println("GroupSimulationTest seed=" + seed + " (replay with -Dsluice.seed=" + seed + ")");
        random = new Random(seed);
        h.catalog.create("t0", 6);
        h.catalog.create("t1", 3);
        h.store.defer(true);
        try {
            for (int step = 0; step < 1_200; step++) {
                chaos();
                tick();
            }
            calmDown();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (replay with -Dsluice.seed=" + seed + "): " + e.getMessage()
                    + "\nconsumers: " + consumers + "\nstored: " + h.store.group(CoordinatorHarness.GROUP), e);
        }
        System.out.println("GroupSimulationTest seed=" + seed + ": " + nextMember + " consumers, " + failovers
                + " failovers, " + h.store.writes() + " writes, " + forbiddenCommits.size() + " refused stale commits");
    }

    private void chaos() {
        List<SimConsumer> live = consumers.stream().filter(c -> c.alive && !c.leaving).toList();
        int roll = random.nextInt(1_000);
        if (roll < 25 && live.size() < 10) {
            String instanceId = "host-" + random.nextInt(4);
            boolean inUse = consumers.stream().anyMatch(c -> c.alive && c.instanceId.equals(instanceId));
            spawn(random.nextInt(3) == 0 && !inUse ? instanceId : "");
        } else if (roll < 35 && !live.isEmpty()) {
            pick(live).leaving = true;
        } else if (roll < 45 && !live.isEmpty()) {
            pick(live).die();
        } else if (roll < 55) {
            bounceStaticMember(live);
        } else if (roll < 60) {
            changeTopics();
        } else if (roll < 64) {
            failOver();
        }
        settleWrites();
        if (random.nextInt(20) == 0) {
            commitAsAZombieOrWithAStaleEpoch();
        }
    }

    private void spawn(String instanceId) {
        boolean slow = random.nextInt(4) == 0;
        long revokeDelayMs = slow ? 2_000 + random.nextInt(6_000) : random.nextInt(800);
        consumers.add(new SimConsumer("m" + nextMember++, instanceId, TOPICS, revokeDelayMs));
    }

    private SimConsumer pick(List<SimConsumer> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** A static member restarts: leaves with -2 (or crashes), and a new process with its instance id follows. */
    private void bounceStaticMember(List<SimConsumer> live) {
        List<SimConsumer> statics = live.stream().filter(c -> !c.instanceId.isEmpty()).toList();
        if (statics.isEmpty()) {
            return;
        }
        SimConsumer old = pick(statics);
        if (random.nextBoolean() && old.epoch > 0) {
            old.leaving = true;
        } else {
            old.die();
        }
        spawn(old.instanceId);
    }

    private void changeTopics() {
        int which = random.nextInt(3);
        if (which == 0) {
            int partitions = h.catalog.topicByName("t0").orElseThrow().partitionCount();
            if (partitions < 16) {
                h.catalog.grow("t0", partitions + 1 + random.nextInt(3));
            }
        } else if (h.catalog.topicByName("t2").isEmpty()) {
            h.catalog.create("t2", 1 + random.nextInt(4));
        } else {
            h.store.deleteTopicOffsets(h.catalog.delete("t2"));
        }
    }

    /** The controller dies: its writes in flight are committed or lost, a new leader loads the store. */
    private void failOver() {
        while (h.store.pendingWrites() > 0) {
            if (random.nextBoolean()) {
                h.store.applyNextButFail();
            } else {
                h.store.loseNext();
            }
        }
        if (random.nextBoolean()) {
            h.coordinator.close();
        }
        consumers.forEach(SimConsumer::connectionLost);
        h.locator.becomeCoordinator(++coordinatorEpoch, (int) coordinatorEpoch % 3);
        h.coordinator = h.newCoordinator();
        failovers++;
    }

    private void settleWrites() {
        while (h.store.pendingWrites() > 0 && random.nextInt(10) < 7) {
            int fate = random.nextInt(100);
            if (fate < 2) {
                h.store.loseNext();
            } else if (fate < 4) {
                h.store.applyNextButFail();
            } else {
                h.store.completeNext();
            }
        }
    }

    private void tick() {
        h.clock.advanceMs(100);
        long nowMs = h.now();
        h.coordinator.poll(nowMs);
        for (SimConsumer consumer : new ArrayList<>(consumers)) {
            consumer.step(h.coordinator, nowMs, h.config.heartbeatIntervalMs());
            maybeCommit(consumer);
        }
        h.coordinator.poll(nowMs);
        checkInvariants();
    }

    private void maybeCommit(SimConsumer consumer) {
        if (!consumer.alive || consumer.leaving || consumer.epoch <= 0 || consumer.owned.isEmpty()
                || random.nextInt(10) != 0) {
            return;
        }
        TopicIdPartition partition = consumer.owned.first();
        commit(consumer.memberId, consumer.epoch, partition, ++offsetCounter).thenAccept(answer -> {
            ErrorCode code = answer.getTopicsCount() == 0 ? answer.getErrorCode()
                    : answer.getTopics(0).getPartitions(0).getErrorCode();
            assertTrue(COMMIT_OUTCOMES.contains(code), "commit answered " + answer);
        });
    }

    private CompletableFuture<OffsetCommitResponse> commit(String memberId, int epoch, TopicIdPartition partition,
            long offset) {
        String topic = h.catalog.topicById(partition.topicId()).map(TopicInfo::name).orElse("gone");
        return h.coordinator.handleOffsetCommit(OffsetCommitRequest.newBuilder().setGroupId(CoordinatorHarness.GROUP)
                .setMemberId(memberId).setMemberEpoch(epoch).addTopics(OffsetCommitTopic.newBuilder().setName(topic)
                        .addPartitions(OffsetCommitPartition.newBuilder().setPartition(partition.partition())
                                .setCommittedOffset(offset))).build(), h.now());
    }

    /**
     * A commit that must be refused whenever it is processed: from a consumer whose removal the store
     * confirmed, with its last epoch; or from a member with an epoch below the previous epoch the
     * store holds for it. Stored epochs never go back and a new membership starts above every old
     * epoch, so neither can become valid while the commit waits in the queue.
     */
    private void commitAsAZombieOrWithAStaleEpoch() {
        GroupRecord record = h.store.group(CoordinatorHarness.GROUP).orElse(null);
        if (record == null || h.catalog.topicByName("t0").isEmpty()) {
            return;
        }
        TopicIdPartition partition = new TopicIdPartition(h.catalog.idOf("t0"), 0);
        Map<String, GroupMemberRecord> stored = new HashMap<>();
        record.getMembersList().forEach(m -> stored.put(m.getMemberId(), m));
        for (SimConsumer consumer : consumers) {
            GroupMemberRecord member = stored.get(consumer.memberId);
            if (member == null && consumer.highestEpoch > 0) {
                forbiddenCommits.add(commit(consumer.memberId, consumer.highestEpoch, partition,
                        ZOMBIE_OFFSET + ++offsetCounter));
                return;
            }
            if (member != null && member.getPreviousMemberEpoch() >= 2) {
                forbiddenCommits.add(commit(consumer.memberId, member.getPreviousMemberEpoch() - 1, partition,
                        ZOMBIE_OFFSET + ++offsetCounter));
                return;
            }
        }
    }

    private void checkInvariants() {
        Set<String> members = new HashSet<>();
        h.store.group(CoordinatorHarness.GROUP).ifPresent(r -> r.getMembersList()
                .forEach(m -> members.add(m.getMemberId())));
        Map<TopicIdPartition, String> reported = new HashMap<>();
        for (SimConsumer consumer : consumers) {
            if (!consumer.alive || !members.contains(consumer.memberId)) {
                continue; // dead, or a zombie: its removal is stored and it will learn so on its next heartbeat
            }
            for (TopicIdPartition partition : consumer.owned) {
                String other = reported.put(partition, consumer.memberId);
                assertTrue(other == null, partition + " owned by both " + other + " and " + consumer.memberId);
            }
        }
        h.store.group(CoordinatorHarness.GROUP).ifPresent(this::checkStored);
        for (CompletableFuture<OffsetCommitResponse> commit : forbiddenCommits) {
            if (commit.isDone()) {
                OffsetCommitResponse answer = commit.join();
                ErrorCode code = answer.getTopics(0).getPartitions(0).getErrorCode();
                assertTrue(code != ErrorCode.ERROR_CODE_NONE && COMMIT_OUTCOMES.contains(code),
                        "a stale commit was answered " + answer);
            }
        }
        for (OffsetRecord offset : h.store.offsets(CoordinatorHarness.GROUP)) {
            assertTrue(offset.getCommittedOffset() < ZOMBIE_OFFSET, "a stale commit was stored: " + offset);
        }
    }

    private void checkStored(GroupRecord record) {
        Set<TopicIdPartition> owned = new HashSet<>();
        Set<String> present = new HashSet<>();
        for (GroupMemberRecord member : record.getMembersList()) {
            present.add(member.getMemberId());
            SortedSet<TopicIdPartition> mine = PartitionSets.union(PartitionSets.fromRecord(member.getAssignedMap()),
                    PartitionSets.fromRecord(member.getPendingRevocationMap()));
            for (TopicIdPartition partition : mine) {
                assertTrue(owned.add(partition), partition + " stored as owned twice");
            }
            int epoch = member.getMemberEpoch();
            Integer before = storedEpochs.get(member.getMemberId());
            assertTrue(before == null || epoch >= before || epoch == Member.STATIC_LEFT_EPOCH,
                    member.getMemberId() + " stored epoch went from " + before + " to " + epoch);
            if (epoch != Member.STATIC_LEFT_EPOCH) {
                storedEpochs.put(member.getMemberId(), epoch);
            }
        }
        storedEpochs.keySet().retainAll(present);
    }

    /**
     * No more chaos: writes go through, consumers keep heartbeating and revoke within the rebalance
     * timeout (a consumer that never does is fenced at every rebalance it takes part in, and its
     * rejoining starts the next one); the group must settle.
     */
    private void calmDown() {
        consumers.forEach(c -> c.revokeDelayMs = Math.min(c.revokeDelayMs, 800));
        while (h.store.pendingWrites() > 0) {
            h.store.completeNext();
        }
        h.store.defer(false);
        consumers.stream().filter(c -> c.leaving).forEach(SimConsumer::die);
        if (consumers.stream().noneMatch(c -> c.alive)) {
            spawn("");
        }
        for (int step = 0; step < 300; step++) {
            tick();
        }
        List<SimConsumer> live = consumers.stream().filter(c -> c.alive).toList();
        GroupRecord record = h.store.group(CoordinatorHarness.GROUP).orElseThrow();
        assertEquals(GroupState.GROUP_STATE_STABLE, GroupStates.of(record));
        assertEquals(live.stream().map(c -> c.memberId).collect(java.util.stream.Collectors.toSet()),
                record.getMembersList().stream().map(GroupMemberRecord::getMemberId)
                        .collect(java.util.stream.Collectors.toSet()), "dead consumers were removed");
        Set<TopicIdPartition> expected = new TreeSet<>();
        for (String topic : TOPICS) {
            h.catalog.topicByName(topic).ifPresent(t -> {
                for (int p = 0; p < t.partitionCount(); p++) {
                    expected.add(new TopicIdPartition(t.topicId(), p));
                }
            });
        }
        Set<TopicIdPartition> owned = new TreeSet<>();
        live.forEach(c -> owned.addAll(c.owned));
        assertEquals(expected, owned, "every subscribed partition is owned, exactly once (checked each step)");
        int min = live.stream().mapToInt(c -> c.owned.size()).min().orElseThrow();
        int max = live.stream().mapToInt(c -> c.owned.size()).max().orElseThrow();
        assertTrue(max - min <= 1, "balanced: " + live);
    }
}
