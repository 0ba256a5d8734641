package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.partition.LeaderRole;
import io.sluice.broker.partition.Partition;
import io.sluice.broker.partition.PartitionException;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.Clock;
import io.sluice.proto.v1.DeleteRecordsPartition;
import io.sluice.proto.v1.DeleteRecordsPartitionResponse;
import io.sluice.proto.v1.DeleteRecordsRequest;
import io.sluice.proto.v1.DeleteRecordsResponse;
import io.sluice.proto.v1.DeleteRecordsTopic;
import io.sluice.proto.v1.DeleteRecordsTopicResponse;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The DeleteRecords API on a partition leader: advances the log start (at most to the high
 * watermark; -1 means the high watermark), then waits up to {@code timeout_ms} for every ISR member
 * to report a log start at least as far (the low watermark), in a {@link DelayedDeleteRecords}. A
 * timeout of 0 answers once the leader applied it. The answer has no request-level error: a request
 * invalid as a whole gets the error on every partition. Errors map to wire codes in one place,
 * {@link #toWire}; a deletion the followers had not confirmed when the deadline passed or leadership
 * moved is REQUEST_TIMED_OUT (applied on this leader; outcome elsewhere unknown). Thread-safe.
 */
public final class DeleteRecordsHandler {
    private final ReplicaManager replicas;
    private final Purgatory<DelayedDeleteRecords> purgatory;
    private final Clock clock;
    private final int maxPartitions;

    /** One partition of the request and where it stands. */
    static final class Slot {
        final String topic;
        final DeleteRecordsPartition request;
        Partition partition;
        int leaderEpoch = -1;
        long target = -1;
        long lowWatermark = -1;
        Throwable error;
        boolean waiting;

        Slot(String topic, DeleteRecordsPartition request) {
            this.topic = topic;
            this.request = request;
        }
    }

    public DeleteRecordsHandler(ReplicaManager replicas, Purgatory<DelayedDeleteRecords> purgatory,
            int maxPartitions) {
        this.replicas = replicas;
        this.purgatory = purgatory;
        this.clock = replicas.clock();
        this.maxPartitions = maxPartitions;
    }

    /** Handles one request; {@code respond} is called exactly once, on this or another thread. */
    public void handle(DeleteRecordsRequest request, Consumer<DeleteRecordsResponse> respond) {
        RequestChecks checks = new RequestChecks(maxPartitions).range("timeout_ms", request.getTimeoutMs(), 0,
                Integer.MAX_VALUE);
        for (DeleteRecordsTopic topic : request.getTopicsList()) {
            checks.topic(topic.getName());
            topic.getPartitionsList().forEach(p -> checks.partition(topic.getName(), p.getPartition()));
        }
        WireError whole = checks.problem() == null ? null : WireError.of(checks.tooLarge()
                ? ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE : ErrorCode.ERROR_CODE_INVALID_REQUEST, checks.problem());
        List<Slot> slots = new ArrayList<>();
        for (DeleteRecordsTopic topic : request.getTopicsList()) {
            for (DeleteRecordsPartition p : topic.getPartitionsList()) {
                Slot slot = new Slot(topic.getName(), p);
                if (whole != null) {
                    slot.error = new PartitionException(whole.code(), whole.message());
                } else {
                    delete(slot, request.getTimeoutMs() > 0);
                }
                slots.add(slot);
            }
        }
        DelayedDeleteRecords op = new DelayedDeleteRecords(clock.monotonicMs() + request.getTimeoutMs(), this,
                request, slots, respond);
        List<TopicIdPartition> keys = slots.stream().filter(s -> s.waiting).map(s -> s.partition.id()).toList();
        if (keys.isEmpty()) {
            op.forceComplete();
        } else {
            purgatory.tryCompleteElseWatch(op, keys);
        }
    }

    private void delete(Slot slot, boolean wait) {
        try {
            if (slot.request.getOffset() < -1) {
                throw new PartitionException(ErrorCode.ERROR_CODE_INVALID_REQUEST, "offset "
                        + slot.request.getOffset() + " is negative (only -1, the high watermark, is allowed)");
            }
            slot.partition = replicas.partitionForClient(slot.topic, slot.request.getPartition());
            LeaderRole leader = slot.partition.leaderForRequest(-1);
            slot.leaderEpoch = leader.leaderEpoch();
            slot.target = slot.partition.deleteRecordsBefore(slot.request.getOffset());
            slot.lowWatermark = slot.target;
            slot.waiting = wait;
        } catch (RuntimeException e) {
            slot.error = e;
        }
    }

    /** Re-checks a waiting slot: done once the ISR's low watermark reached the target. */
    void check(Slot slot) {
        try {
            long low = slot.partition.lowWatermark(slot.leaderEpoch);
            if (low >= slot.target) {
                slot.lowWatermark = low;
                slot.waiting = false;
            }
        } catch (PartitionException e) {
            slot.error = new OutcomeUnknownException("leadership of " + slot.partition.id() + " moved before the "
                    + "followers confirmed the deletion below " + slot.target, e.leaderId(), e.leaderEpoch());
            slot.waiting = false;
        }
    }

    DeleteRecordsResponse buildResponse(DeleteRecordsRequest request, List<Slot> slots) {
        DeleteRecordsResponse.Builder response = DeleteRecordsResponse.newBuilder();
        int next = 0;
        for (DeleteRecordsTopic topic : request.getTopicsList()) {
            DeleteRecordsTopicResponse.Builder answers = DeleteRecordsTopicResponse.newBuilder()
                    .setName(topic.getName());
            for (int i = 0; i < topic.getPartitionsCount(); i++) {
                answers.addPartitions(answer(slots.get(next++)));
            }
            response.addTopics(answers);
        }
        return response.build();
    }

    private DeleteRecordsPartitionResponse answer(Slot slot) {
        if (slot.waiting) {
            slot.error = new OutcomeUnknownException("the followers of " + slot.partition.id() + " did not "
                    + "confirm the deletion below " + slot.target + " within the timeout", -1, -1);
        }
        DeleteRecordsPartitionResponse.Builder answer = DeleteRecordsPartitionResponse.newBuilder()
                .setPartition(slot.request.getPartition());
        if (slot.error == null) {
            return answer.setErrorCode(ErrorCode.ERROR_CODE_NONE).setLowWatermark(slot.lowWatermark).build();
        }
        WireError error = toWire(slot.error);
        answer.setErrorCode(error.code()).setErrorMessage(error.message()).setLowWatermark(-1);
        error.hint(replicas).ifPresent(answer::setCurrentLeader);
        return answer.build();
    }

    /**
     * The DeleteRecords API's one mapping from internal failures to wire codes: refusals keep their
     * code and hint; a deletion the ISR had not confirmed when the deadline passed or leadership
     * moved is REQUEST_TIMED_OUT; anything unexpected is UNKNOWN_SERVER_ERROR.
     */
    static WireError toWire(Throwable failure) {
        return WireError.from(failure, "deleting records");
    }
}
