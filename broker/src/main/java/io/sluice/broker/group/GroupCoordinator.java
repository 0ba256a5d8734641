package io.sluice.broker.group;

import io.sluice.broker.group.internal.ErrorResponses;
import io.sluice.broker.group.internal.GroupDescriptions;
import io.sluice.broker.group.internal.GroupException;
import io.sluice.broker.group.internal.GroupSlot;
import io.sluice.broker.group.internal.HeartbeatProcessor;
import io.sluice.broker.group.internal.OffsetReads;
import io.sluice.broker.group.internal.QueuedOp;
import io.sluice.broker.group.internal.RequestValidator;
import io.sluice.broker.group.internal.SlotContext;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.DeleteGroupResult;
import io.sluice.proto.v1.DeleteGroupsRequest;
import io.sluice.proto.v1.DeleteGroupsResponse;
import io.sluice.proto.v1.DescribeGroupsRequest;
import io.sluice.proto.v1.DescribeGroupsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupDescription;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetFetchRequest;
import io.sluice.proto.v1.OffsetFetchResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group coordinator: KIP-848 membership, target assignment and incremental
 * reconciliation, committed offsets, and group administration (docs/groups.md).
 *
 * <p>Single-threaded and poll-driven: every method must be called from one thread (the
 * {@link GroupCoordinatorDriver}'s, or a test's), with the current monotonic time. Answers are
 * futures because state changes are answered only once the {@link GroupStore} confirmed them; they
 * complete on the calling thread, during a {@code handle*} call or {@link #poll}. Store writes
 * complete on other threads: their outcomes are queued, {@code wakeup} is run, and the next
 * {@link #poll} applies them.
 *
 * <p>Active only while the {@link CoordinatorLocator} says this node coordinates; each time that
 * starts (a new leadership epoch) it loads every group from the store and gives every member a full
 * session and rebalance timeout, since heartbeat timers live only in memory. Otherwise every request
 * is answered NOT_COORDINATOR.
 */
public final class GroupCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupCoordinatorConfig config;
    private final GroupCoordinatorDependencies dependencies;
    private final Runnable wakeup;
    private final SlotContext context;
    private final TreeMap<String, GroupSlot> slots = new TreeMap<>();
    private final ConcurrentLinkedQueue<WriteOutcome> outcomes = new ConcurrentLinkedQueue<>();
    private long lastWriteId;
    private OptionalLong activeEpoch = OptionalLong.empty();
    private boolean closed;

    private record WriteOutcome(String groupId, long writeId, MetaResult result, Throwable failure) {
    }

    /**
     * @param wakeup run (on any thread) when a store write completes; the driver then calls
     *               {@link #poll} soon. Must not block.
     */
    public GroupCoordinator(GroupCoordinatorConfig config, GroupCoordinatorDependencies dependencies,
            Runnable wakeup) {
        this.config = config;
        this.dependencies = dependencies;
        this.wakeup = wakeup;
        this.context = new SlotContext(config, dependencies.store(), dependencies.catalog(), dependencies.clock(),
                new HeartbeatProcessor(config, dependencies.catalog()), new SlotContext.WriteWatcher() {
                    @Override
                    public long nextWriteId() {
                        return ++lastWriteId;
                    }

                    @Override
                    public void watch(String groupId, long writeId, CompletableFuture<MetaResult> write) {
                        write.whenComplete((result, failure) -> {
                            Throwable outcome = failure == null && result == null
                                    ? new IllegalStateException("the store answered nothing") : failure;
                            outcomes.add(new WriteOutcome(groupId, writeId, result, outcome));
                            GroupCoordinator.this.wakeup.run();
                        });
                    }
                });
    }

    /** ConsumerGroupHeartbeat; {@code clientHost} is shown by DescribeGroups. */
    public CompletableFuture<ConsumerGroupHeartbeatResponse> handleHeartbeat(ConsumerGroupHeartbeatRequest request,
            String clientHost, long nowMs) {
        CompletableFuture<ConsumerGroupHeartbeatResponse> answer = new CompletableFuture<>();
        QueuedOp.Heartbeat op = new QueuedOp.Heartbeat(request, clientHost, answer);
        try {
            RequestValidator.heartbeat(request, config);
        } catch (GroupException e) {
            op.fail(e.code(), e.getMessage());
            return answer;
        }
        enqueue(request.getGroupId(), op, nowMs);
        return answer;
    }

    /** OffsetCommit. */
    public CompletableFuture<OffsetCommitResponse> handleOffsetCommit(OffsetCommitRequest request, long nowMs) {
        CompletableFuture<OffsetCommitResponse> answer = new CompletableFuture<>();
        QueuedOp.Commit op = new QueuedOp.Commit(request, answer);
        try {
            RequestValidator.offsetCommit(request, config);
        } catch (GroupException e) {
            op.fail(e.code(), e.getMessage());
            return answer;
        }
        enqueue(request.getGroupId(), op, nowMs);
        return answer;
    }

    /** OffsetFetch, from the committed offsets in the store. */
    public CompletableFuture<OffsetFetchResponse> handleOffsetFetch(OffsetFetchRequest request, long nowMs) {
        try {
            RequestValidator.offsetFetch(request, config);
            requireActive(nowMs);
        } catch (GroupException e) {
            return CompletableFuture.completedFuture(ErrorResponses.offsetFetch(request, e.code(), e.getMessage()));
        }
        return CompletableFuture.completedFuture(OffsetReads.fetch(request,
                dependencies.store().offsets(request.getGroupId()), dependencies.catalog()));
    }

    /** DescribeGroups, from the store; with {@code include_lag}, completes once partition offsets are known. */
    public CompletableFuture<DescribeGroupsResponse> handleDescribeGroups(DescribeGroupsRequest request,
            long nowMs) {
        try {
            RequestValidator.groupCount(request.getGroupIdsList());
        } catch (GroupException e) {
            return CompletableFuture.completedFuture(ErrorResponses.describeGroups(request, e.code(),
                    e.getMessage()));
        }
        boolean active = refreshActivation(nowMs);
        Map<String, GroupDescriptions.Snapshot> found = new LinkedHashMap<>();
        Map<String, GroupDescription> failed = new TreeMap<>();
        Set<TopicIdPartition> lagPartitions = new TreeSet<>();
        for (String groupId : new TreeSet<>(request.getGroupIdsList())) {
            try {
                RequestValidator.groupId(groupId);
                if (!active) {
                    throw notCoordinator();
                }
                GroupDescriptions.Snapshot snapshot = GroupDescriptions.snapshot(groupId, dependencies.store(),
                        dependencies.catalog()).orElseThrow(() -> new GroupException(
                                ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, "group " + groupId + " does not exist"));
                found.put(groupId, snapshot);
                lagPartitions.addAll(GroupDescriptions.lagPartitions(snapshot));
            } catch (GroupException e) {
                failed.put(groupId, ErrorResponses.describeGroup(groupId, e.code(), e.getMessage()));
            }
        }
        CompletableFuture<Map<TopicIdPartition, PartitionOffsets>> offsets = !request.getIncludeLag()
                ? CompletableFuture.completedFuture(null)
                : lagPartitions.isEmpty() ? CompletableFuture.completedFuture(Map.of())
                : lookupQuietly(lagPartitions);
        return offsets.thenApply(known -> {
            DescribeGroupsResponse.Builder response = DescribeGroupsResponse.newBuilder();
            for (String groupId : request.getGroupIdsList()) {
                GroupDescriptions.Snapshot snapshot = found.get(groupId);
                response.addGroups(snapshot == null ? failed.get(groupId)
                        : GroupDescriptions.describe(groupId, snapshot, known));
            }
            return response.build();
        });
    }

    private CompletableFuture<Map<TopicIdPartition, PartitionOffsets>> lookupQuietly(Set<TopicIdPartition> partitions) {
        CompletableFuture<Map<TopicIdPartition, PartitionOffsets>> lookup;
        try {
            lookup = dependencies.logEndOffsets().lookup(partitions);
        } catch (RuntimeException e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        return lookup.handle((known, failure) -> {
            if (failure != null || known == null) {
                LOG.warn("lag lookup for {} partitions failed; reporting lag as unknown", partitions.size(), failure);
                return Map.of();
            }
            return known;
        });
    }

    /** DeleteGroups: each group must be empty; its record and offsets go. */
    public CompletableFuture<DeleteGroupsResponse> handleDeleteGroups(DeleteGroupsRequest request, long nowMs) {
        try {
            RequestValidator.groupCount(request.getGroupIdsList());
        } catch (GroupException e) {
            return CompletableFuture.completedFuture(ErrorResponses.deleteGroups(request, e.code(), e.getMessage()));
        }
        List<CompletableFuture<DeleteGroupResult>> results = new ArrayList<>();
        for (String groupId : request.getGroupIdsList()) {
            CompletableFuture<DeleteGroupResult> result = new CompletableFuture<>();
            results.add(result);
            QueuedOp.Delete op = new QueuedOp.Delete(groupId, result);
            try {
                RequestValidator.groupId(groupId);
            } catch (GroupException e) {
                op.fail(e.code(), e.getMessage());
                continue;
            }
            enqueue(groupId, op, nowMs);
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            DeleteGroupsResponse.Builder response = DeleteGroupsResponse.newBuilder();
            results.forEach(r -> response.addResults(r.join()));
            return response.build();
        });
    }

    /**
     * Applies completed writes, expires sessions and rebalance timeouts, follows topic changes, and
     * loads or drops state when this node starts or stops coordinating.
     *
     * @return the time by which {@code poll} wants to run again ({@link Long#MAX_VALUE}: only on a
     *         request, a wakeup or a metadata change)
     */
    public long poll(long nowMs) {
        boolean active = refreshActivation(nowMs);
        drainOutcomes(nowMs);
        if (!active) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        for (GroupSlot slot : new ArrayList<>(slots.values())) {
            slot.checkWriteTimeout(nowMs);
            slot.process(nowMs);
        }
        drainOutcomes(nowMs);
        slots.values().removeIf(GroupSlot::isIdle);
        for (GroupSlot slot : slots.values()) {
            next = Math.min(next, slot.nextDeadlineMs());
        }
        return next;
    }

    /** Stops coordinating for good: every waiting and later request is answered NOT_COORDINATOR. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            deactivate("the coordinator is shutting down");
            activeEpoch = OptionalLong.empty();
        }
    }

    private void enqueue(String groupId, QueuedOp op, long nowMs) {
        if (!refreshActivation(nowMs)) {
            GroupException e = notCoordinator();
            op.fail(e.code(), e.getMessage());
            return;
        }
        GroupSlot slot = slots.computeIfAbsent(groupId, id -> new GroupSlot(id,
                dependencies.store().group(id).orElse(null), context, nowMs));
        if (!slot.offer(op)) {
            op.fail(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE, "group " + groupId + " has "
                    + config.maxQueuedRequestsPerGroup() + " requests waiting; retry later");
            return;
        }
        slot.process(nowMs);
        drainOutcomes(nowMs);
    }

    private void drainOutcomes(long nowMs) {
        WriteOutcome outcome;
        while ((outcome = outcomes.poll()) != null) {
            GroupSlot slot = slots.get(outcome.groupId());
            if (slot != null) {
                slot.onWriteDone(outcome.writeId(), outcome.result(), outcome.failure(), nowMs);
            }
        }
    }

    private void requireActive(long nowMs) {
        if (!refreshActivation(nowMs)) {
            throw notCoordinator();
        }
    }

    private GroupException notCoordinator() {
        String where = dependencies.locator().coordinator().map(c -> "node " + c.nodeId() + " coordinates groups")
                .orElse("no coordinator is known");
        return new GroupException(ErrorCode.ERROR_CODE_NOT_COORDINATOR, "this node does not coordinate groups ("
                + where + "); FindCoordinator and retry");
    }

    private boolean refreshActivation(long nowMs) {
        OptionalLong epoch = closed ? OptionalLong.empty() : dependencies.locator().localCoordinatorEpoch();
        if (epoch.equals(activeEpoch)) {
            return epoch.isPresent();
        }
        if (activeEpoch.isPresent()) {
            deactivate("this node stopped coordinating groups");
        }
        activeEpoch = epoch;
        if (epoch.isPresent()) {
            load(epoch.getAsLong(), nowMs);
        }
        return epoch.isPresent();
    }

    private void load(long epoch, long nowMs) {
        List<GroupRecord> groups = dependencies.store().groups();
        for (GroupRecord group : groups) {
            try {
                slots.put(group.getGroupId(), new GroupSlot(group.getGroupId(), group, context, nowMs));
            } catch (RuntimeException e) {
                // A stored record that breaks an invariant: the group's requests fail, the others are served.
                LOG.error("cannot load group {}: {}", group.getGroupId(), group, e);
            }
        }
        LOG.info("coordinating consumer groups (epoch {}): loaded {} groups; every member gets a fresh session",
                epoch, groups.size());
    }

    private void deactivate(String reason) {
        GroupException e = notCoordinator();
        slots.values().forEach(slot -> slot.failAll(e.code(), reason + "; " + e.getMessage()));
        slots.clear();
        LOG.info("stopped coordinating consumer groups: {}", reason);
    }

    /** The slot of a group, for tests and invariant checks. */
    Optional<GroupSlot> slot(String groupId) {
        return Optional.ofNullable(slots.get(groupId));
    }
}
