package io.sluice.broker.group;

import io.sluice.proto.internal.v1.CommitOffsets;
import io.sluice.proto.internal.v1.DeleteGroup;
import io.sluice.proto.internal.v1.GroupMemberRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.UpsertGroup;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A {@link GroupStore} in memory that applies the commands with the conditional semantics the
 * metadata state machine must have (see {@link GroupStore}). Writes complete at once by default; in
 * deferred mode they wait in a queue until the test releases them (applied in order, or lost, or
 * applied with a lost acknowledgement), which is how tests put writes in flight and fail them.
 * Synchronized: the gRPC test reads it from other threads.
 */
final class InMemoryGroupStore implements GroupStore {
    private final Map<String, GroupRecord> groups = new TreeMap<>();
    private final Map<String, Map<String, OffsetRecord>> offsets = new TreeMap<>();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private boolean deferred;
    private long appliedIndex;
    private int writes;

    private record Pending(Supplier<MetaResult> apply, CompletableFuture<MetaResult> future) {
    }

    /** Writes wait for {@link #completeNext} and friends instead of completing at once. */
    synchronized void defer(boolean defer) {
        this.deferred = defer;
    }

    synchronized int pendingWrites() {
        return pending.size();
    }

    /** How many writes were submitted so far. */
    synchronized int writes() {
        return writes;
    }

    /** Applies the oldest waiting write and completes its future with the result. */
    void completeNext() {
        Pending next;
        MetaResult result;
        synchronized (this) {
            next = pending.removeFirst();
            result = next.apply().get();
        }
        next.future().complete(result);
    }

    /** Loses the oldest waiting write: not applied, future failed (the quorum lost it). */
    void loseNext() {
        Pending next;
        synchronized (this) {
            next = pending.removeFirst();
        }
        next.future().completeExceptionally(new IllegalStateException("lost leadership before commit"));
    }

    /** Applies the oldest waiting write but fails its future (committed, acknowledgement lost). */
    void applyNextButFail() {
        Pending next;
        synchronized (this) {
            next = pending.removeFirst();
            next.apply().get();
        }
        next.future().completeExceptionally(new IllegalStateException("acknowledgement lost"));
    }

    /** Drops every waiting write without completing it (the old leader died with them). */
    synchronized void abandonPending() {
        pending.clear();
    }

    private CompletableFuture<MetaResult> submit(Supplier<MetaResult> apply) {
        CompletableFuture<MetaResult> future = new CompletableFuture<>();
        MetaResult result = null;
        synchronized (this) {
            writes++;
            if (deferred) {
                pending.add(new Pending(apply, future));
                return future;
            }
            result = apply.get();
        }
        future.complete(result);
        return future;
    }

    private MetaResult ok() {
        return MetaResult.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE).setAppliedIndex(++appliedIndex).build();
    }

    private static MetaResult refused(ErrorCode code, String message) {
        return MetaResult.newBuilder().setErrorCode(code).setErrorMessage(message).build();
    }

    @Override
    public CompletableFuture<MetaResult> upsertGroup(UpsertGroup command) {
        return submit(() -> {
            GroupRecord current = groups.get(command.getGroup().getGroupId());
            int currentEpoch = current == null ? 0 : current.getGroupEpoch();
            if (currentEpoch != command.getExpectedGroupEpoch()) {
                return refused(ErrorCode.ERROR_CODE_NOT_COORDINATOR, "expected group epoch "
                        + command.getExpectedGroupEpoch() + " but the group is at " + currentEpoch);
            }
            groups.put(command.getGroup().getGroupId(), command.getGroup());
            return ok();
        });
    }

    @Override
    public CompletableFuture<MetaResult> commitOffsets(CommitOffsets command) {
        return submit(() -> {
            GroupRecord group = groups.get(command.getGroupId());
            List<GroupMemberRecord> members = group == null ? List.of() : group.getMembersList();
            if (command.getMemberId().isEmpty()) {
                if (!members.isEmpty()) {
                    return refused(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, "group has members");
                }
            } else {
                Optional<GroupMemberRecord> member = members.stream()
                        .filter(m -> m.getMemberId().equals(command.getMemberId())).findFirst();
                if (member.isEmpty()) {
                    return refused(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, "no member " + command.getMemberId());
                }
                int epoch = command.getMemberEpoch();
                if (epoch != member.get().getMemberEpoch() && epoch != member.get().getPreviousMemberEpoch()) {
                    return refused(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, "stale epoch " + epoch);
                }
            }
            Map<String, OffsetRecord> groupOffsets = offsets.computeIfAbsent(command.getGroupId(),
                    g -> new TreeMap<>());
            command.getOffsetsList().forEach(o -> groupOffsets.put(o.getTopicId() + "/" + o.getPartition(), o));
            return ok();
        });
    }

    @Override
    public CompletableFuture<MetaResult> deleteGroup(DeleteGroup command) {
        return submit(() -> {
            GroupRecord group = groups.get(command.getGroupId());
            if (group == null && !offsets.containsKey(command.getGroupId())) {
                return refused(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, "no group " + command.getGroupId());
            }
            if (group != null && group.getMembersCount() > 0) {
                return refused(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, "group has members");
            }
            groups.remove(command.getGroupId());
            offsets.remove(command.getGroupId());
            return ok();
        });
    }

    /** Removes a deleted topic's offsets, as DeleteTopic does. */
    synchronized void deleteTopicOffsets(String topicId) {
        offsets.values().forEach(o -> o.values().removeIf(r -> r.getTopicId().equals(topicId)));
        offsets.values().removeIf(Map::isEmpty);
    }

    @Override
    public synchronized Optional<GroupRecord> group(String groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    @Override
    public synchronized List<GroupRecord> groups() {
        return new ArrayList<>(groups.values());
    }

    @Override
    public synchronized List<OffsetRecord> offsets(String groupId) {
        return new ArrayList<>(offsets.getOrDefault(groupId, Map.of()).values());
    }

    @Override
    public synchronized Set<String> groupIdsWithOffsets() {
        return new TreeSet<>(offsets.keySet());
    }
}
