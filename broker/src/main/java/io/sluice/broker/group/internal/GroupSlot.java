package io.sluice.broker.group.internal;

import io.sluice.proto.internal.v1.DeleteGroup;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.UpsertGroup;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group on the coordinator: its model, the record last confirmed by the store, its queue of
 * requests and its write in flight. The rules that make answers durable:
 * <ul>
 *   <li>At most one write per group is in flight; while it is, new requests wait in the queue
 *       (bounded: {@code maxQueuedRequestsPerGroup}).</li>
 *   <li>Queued heartbeats are applied to the model in order, together with expired timers and topic
 *       changes; if the model then differs from the confirmed record, one {@code UpsertGroup}
 *       (conditional on the confirmed group epoch) carries the whole new state, and the heartbeats'
 *       answers are held until it is confirmed. A refused or failed write fails those answers
 *       (retriable codes) and the model is reloaded from the store before anything else.</li>
 *   <li>A commit or deletion waits until the model is confirmed, then is checked against it and
 *       written on its own.</li>
 * </ul>
 * So nothing a client is told is lost by a coordinator failover. Not thread-safe: the coordinator
 * thread owns it.
 */
public final class GroupSlot {
    private static final Logger LOG = LoggerFactory.getLogger(GroupSlot.class);

    private final String groupId;
    private final SlotContext context;
    private final ArrayDeque<QueuedOp> queue = new ArrayDeque<>();
    private ConsumerGroup model;
    private GroupRecord confirmed;
    private InFlight inFlight;
    private boolean needsReload;
    private long catalogVersionSeen = Long.MIN_VALUE;

    private enum Kind { UPSERT, COMMIT, DELETE }

    private record InFlight(long writeId, long startedMs, Kind kind, GroupRecord record,
            List<QueuedOp.Heartbeat> heartbeats, QueuedOp op) {
    }

    /** A slot for a group as stored ({@code record} null: nothing stored); its members get fresh timers. */
    public GroupSlot(String groupId, GroupRecord record, SlotContext context, long nowMs) {
        this.groupId = groupId;
        this.context = context;
        this.confirmed = record;
        this.model = record == null ? ConsumerGroup.empty(groupId, context.config().defaultAssignor())
                : ConsumerGroup.fromRecord(record, null, nowMs, context.config().sessionTimeoutMs());
    }

    /** Queues {@code op}; false if the queue is full (the caller answers it). */
    public boolean offer(QueuedOp op) {
        if (queue.size() >= context.config().maxQueuedRequestsPerGroup()) {
            return false;
        }
        queue.add(op);
        return true;
    }

    /** Does whatever can be done now: queued requests, timers, topic changes, and the write they need. */
    public void process(long nowMs) {
        if (inFlight != null) {
            return;
        }
        if (needsReload) {
            reload(nowMs);
        }
        List<QueuedOp.Heartbeat> answered = new ArrayList<>();
        while (!queue.isEmpty()) {
            QueuedOp op = queue.peek();
            if (op instanceof QueuedOp.Heartbeat heartbeat) {
                queue.poll();
                applyHeartbeat(heartbeat, answered, nowMs);
                continue;
            }
            if (!answered.isEmpty() && isDirty()) {
                break;
            }
            answered.forEach(QueuedOp.Heartbeat::complete);
            answered.clear();
            queue.poll();
            boolean writing = op instanceof QueuedOp.Commit commit ? startCommit(commit, nowMs)
                    : startDelete((QueuedOp.Delete) op, nowMs);
            if (writing) {
                return;
            }
        }
        boolean changed = expireMembers(nowMs) | refreshTopics();
        // Building the record to compare is the costly part of an idle poll: only when something happened.
        if ((changed || !answered.isEmpty()) && isDirty()) {
            startUpsert(answered, nowMs);
        } else {
            answered.forEach(QueuedOp.Heartbeat::complete);
        }
    }

    private void applyHeartbeat(QueuedOp.Heartbeat heartbeat, List<QueuedOp.Heartbeat> answered, long nowMs) {
        try {
            heartbeat.response = context.heartbeats().process(model, heartbeat.request, heartbeat.clientHost, nowMs);
        } catch (GroupException refused) {
            heartbeat.response = ErrorResponses.heartbeat(heartbeat.request, refused.code(), refused.getMessage());
        } catch (RuntimeException bug) {
            // The model may be half-changed: answer everything applied to it with an error and start again
            // from the store.
            LOG.error("group {}: heartbeat {} failed; reloading the group", groupId, heartbeat.request, bug);
            answered.add(heartbeat);
            answered.forEach(h -> h.fail(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, bug.toString()));
            answered.clear();
            reload(nowMs);
            return;
        }
        answered.add(heartbeat);
    }

    private boolean isDirty() {
        return confirmed == null ? !model.isBlank() : !model.toRecord().equals(confirmed);
    }

    private boolean expireMembers(long nowMs) {
        List<Member> expired = new ArrayList<>();
        for (Member member : model.members()) {
            boolean sessionOver = nowMs >= member.sessionDeadlineMs();
            boolean revocationOver = !member.pendingRevocation().isEmpty() && nowMs >= member.rebalanceDeadlineMs();
            if (sessionOver || revocationOver) {
                LOG.info("group {}: removing member {}: {}", groupId, member.memberId(), sessionOver
                        ? "no heartbeat within the session timeout"
                        : "partitions not revoked within the rebalance timeout");
                expired.add(member);
            }
        }
        if (!expired.isEmpty()) {
            expired.forEach(m -> model.removeMember(m.memberId()));
            TargetAssignments.bumpAndAssign(model, context.catalog(), context.config().defaultAssignor());
        }
        return !expired.isEmpty();
    }

    private boolean refreshTopics() {
        long version = context.catalog().version();
        if (version == catalogVersionSeen) {
            return false;
        }
        catalogVersionSeen = version;
        if (model.memberCount() > 0 && TargetAssignments.maybeRefresh(model, context.catalog(),
                context.config().defaultAssignor())) {
            LOG.info("group {}: subscribed topics changed; new group epoch {}", groupId, model.groupEpoch());
            return true;
        }
        return false;
    }

    private void startUpsert(List<QueuedOp.Heartbeat> answered, long nowMs) {
        GroupRecord record = model.toRecord();
        int expectedEpoch = confirmed == null ? 0 : confirmed.getGroupEpoch();
        UpsertGroup command = UpsertGroup.newBuilder().setExpectedGroupEpoch(expectedEpoch).setGroup(record).build();
        start(new InFlight(context.watcher().nextWriteId(), nowMs, Kind.UPSERT, record, answered, null),
                () -> context.store().upsertGroup(command));
    }

    private boolean startCommit(QueuedOp.Commit commit, long nowMs) {
        commit.plan = OffsetCommitPlan.plan(model, commit.request, context.catalog(), context.config(),
                context.clock().wallMs());
        if (commit.plan.command() == null) {
            commit.future.complete(commit.plan.answer(ErrorCode.ERROR_CODE_NONE, ""));
            return false;
        }
        start(new InFlight(context.watcher().nextWriteId(), nowMs, Kind.COMMIT, null, List.of(), commit),
                () -> context.store().commitOffsets(commit.plan.command()));
        return true;
    }

    private boolean startDelete(QueuedOp.Delete delete, long nowMs) {
        if (model.memberCount() > 0) {
            delete.fail(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, "group " + groupId + " has " + model.memberCount()
                    + " members");
            return false;
        }
        if (confirmed == null && context.store().offsets(groupId).isEmpty()) {
            delete.fail(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, "group " + groupId + " does not exist");
            return false;
        }
        DeleteGroup command = DeleteGroup.newBuilder().setGroupId(groupId).build();
        start(new InFlight(context.watcher().nextWriteId(), nowMs, Kind.DELETE, null, List.of(), delete),
                () -> context.store().deleteGroup(command));
        return true;
    }

    private void start(InFlight write, Supplier<CompletableFuture<MetaResult>> submit) {
        inFlight = write;
        CompletableFuture<MetaResult> future;
        try {
            future = submit.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        context.watcher().watch(groupId, write.writeId(), future);
    }

    /**
     * The outcome of write {@code writeId} (ignored unless it is the one in flight): answers what
     * waited for it, then goes on with the queue.
     *
     * @param failure non-null when the outcome is unknown (exception or timeout)
     */
    public void onWriteDone(long writeId, MetaResult result, Throwable failure, long nowMs) {
        if (inFlight == null || inFlight.writeId() != writeId) {
            return;
        }
        InFlight done = inFlight;
        inFlight = null;
        ErrorCode stored = failure != null ? ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT : result.getErrorCode();
        String message = failure != null ? "the metadata quorum did not confirm the write (" + failure
                + "); its outcome is unknown" : result.getErrorMessage();
        if (stored != ErrorCode.ERROR_CODE_NONE) {
            LOG.warn("group {}: {} write failed with {}: {}; reloading the group", groupId, done.kind(), stored,
                    message);
            needsReload = true;
        }
        ErrorCode answer = failure != null || stored == ErrorCode.ERROR_CODE_NONE ? stored
                : ErrorResponses.forStoreRefusal(stored, done.kind() == Kind.UPSERT);
        switch (done.kind()) {
            case UPSERT -> {
                if (stored == ErrorCode.ERROR_CODE_NONE) {
                    confirmed = done.record();
                    done.heartbeats().forEach(QueuedOp.Heartbeat::complete);
                } else {
                    done.heartbeats().forEach(h -> h.fail(answer, message));
                }
            }
            case COMMIT -> {
                QueuedOp.Commit commit = (QueuedOp.Commit) done.op();
                commit.future.complete(commit.plan.answer(answer, message));
            }
            case DELETE -> {
                if (stored == ErrorCode.ERROR_CODE_NONE) {
                    model = ConsumerGroup.empty(groupId, context.config().defaultAssignor());
                    confirmed = null;
                    catalogVersionSeen = Long.MIN_VALUE;
                }
                QueuedOp.Delete delete = (QueuedOp.Delete) done.op();
                delete.future.complete(ErrorResponses.deleteGroup(groupId, answer, message));
            }
            default -> throw new IllegalStateException("unknown write kind " + done.kind());
        }
        process(nowMs);
    }

    /** Fails the write in flight if the store has not answered within the write timeout. */
    public void checkWriteTimeout(long nowMs) {
        if (inFlight != null && nowMs - inFlight.startedMs() >= context.config().writeTimeoutMs()) {
            onWriteDone(inFlight.writeId(), null, new TimeoutException("no answer within "
                    + context.config().writeTimeoutMs() + " ms"), nowMs);
        }
    }

    private void reload(long nowMs) {
        GroupRecord stored = context.store().group(groupId).orElse(null);
        model = stored == null ? ConsumerGroup.empty(groupId, context.config().defaultAssignor())
                : ConsumerGroup.fromRecord(stored, model, nowMs, context.config().sessionTimeoutMs());
        confirmed = stored;
        needsReload = false;
        catalogVersionSeen = Long.MIN_VALUE;
    }

    /** Answers every waiting request with {@code code} (this node stops coordinating). */
    public void failAll(ErrorCode code, String message) {
        if (inFlight != null) {
            inFlight.heartbeats().forEach(h -> h.fail(code, message));
            if (inFlight.op() != null) {
                inFlight.op().fail(code, message);
            }
            inFlight = null;
        }
        queue.forEach(op -> op.fail(code, message));
        queue.clear();
    }

    /** The earliest time something must happen without a request: a timer or a write timeout. */
    public long nextDeadlineMs() {
        long next = inFlight == null ? Member.NO_DEADLINE
                : Reconciler.saturatedAdd(inFlight.startedMs(), context.config().writeTimeoutMs());
        for (Member member : model.members()) {
            next = Math.min(next, member.sessionDeadlineMs());
            if (!member.pendingRevocation().isEmpty()) {
                next = Math.min(next, member.rebalanceDeadlineMs());
            }
        }
        return next;
    }

    /** Whether the slot holds nothing worth keeping in memory. */
    public boolean isIdle() {
        return confirmed == null && model.isBlank() && queue.isEmpty() && inFlight == null;
    }

    public String groupId() {
        return groupId;
    }

    /** The current model (for tests and invariant checks; do not modify). */
    public ConsumerGroup model() {
        return model;
    }
}
