package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.partition.AckStatus;
import io.sluice.broker.partition.AppendResult;
import io.sluice.broker.partition.Partition;
import io.sluice.broker.partition.PartitionException;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.Clock;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.PartitionProduceData;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.proto.v1.TopicProduceData;
import io.sluice.proto.v1.TopicProduceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Produce API: validates a request, appends each partition's batch on its leader replica in
 * request order, and answers at once (acks none/leader, or acks=all already committed) or through
 * a {@link DelayedProduce} once the high watermark passes every batch. Never blocks the caller.
 *
 * <p>Errors are mapped to wire codes in one place, {@link #toWire}. An acks=all batch whose outcome
 * is unknown (leadership moved before it was replicated, the timeout passed, the broker stopped) is
 * answered REQUEST_TIMED_OUT, never as a failure.
 *
 * <p>Thread-safe; called from gRPC handler threads (and a simulation's loop).
 */
public final class ProduceHandler {
    private static final int MAX_TIMEOUT_MS = Integer.MAX_VALUE;

    private final ReplicaManager replicas;
    private final Purgatory<DelayedProduce> purgatory;
    private final Clock clock;
    private final int maxPartitions;
    private final int defaultTimeoutMs;

    public ProduceHandler(ReplicaManager replicas, Purgatory<DelayedProduce> purgatory, int maxPartitions,
            int defaultTimeoutMs) {
        this.replicas = replicas;
        this.purgatory = purgatory;
        this.clock = replicas.clock();
        this.maxPartitions = maxPartitions;
        this.defaultTimeoutMs = defaultTimeoutMs;
    }

    /** Handles one request; {@code respond} is called exactly once, on this or another thread. */
    public void handle(ProduceRequest request, Consumer<ProduceResponse> respond) {
        RequestChecks checks = validate(request);
        if (checks.problem() != null) {
            respond.accept(refusal(request, checks.tooLarge() ? ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE
                    : ErrorCode.ERROR_CODE_INVALID_REQUEST, checks.problem()));
            return;
        }
        Acks acks = request.getAcks() == Acks.ACKS_UNSPECIFIED ? Acks.ACKS_ALL : request.getAcks();
        List<PartitionSlot> slots = new ArrayList<>();
        for (TopicProduceData topic : request.getTopicsList()) {
            for (PartitionProduceData data : topic.getPartitionsList()) {
                slots.add(append(topic.getTopic(), data, acks));
            }
        }
        long timeoutMs = request.getTimeoutMs() == 0 ? defaultTimeoutMs : request.getTimeoutMs();
        DelayedProduce op = new DelayedProduce(clock.monotonicMs() + timeoutMs, request, acks, slots, this, respond);
        List<TopicIdPartition> keys = op.waitingKeys();
        if (keys.isEmpty()) {
            op.forceComplete();
        } else {
            purgatory.tryCompleteElseWatch(op, keys);
        }
    }

    private RequestChecks validate(ProduceRequest request) {
        RequestChecks checks = new RequestChecks(maxPartitions)
                .require(request.getAcks() != Acks.UNRECOGNIZED, "acks " + request.getAcksValue()
                        + " is not a known value")
                .range("timeout_ms", request.getTimeoutMs(), 0, MAX_TIMEOUT_MS);
        for (TopicProduceData topic : request.getTopicsList()) {
            checks.topic(topic.getTopic());
            for (PartitionProduceData data : topic.getPartitionsList()) {
                checks.partition(topic.getTopic(), data.getPartition());
            }
        }
        return checks;
    }

    private PartitionSlot append(String topic, PartitionProduceData data, Acks acks) {
        PartitionSlot slot = new PartitionSlot(data.getPartition());
        try {
            Partition partition = replicas.partitionForClient(topic, data.getPartition());
            AppendResult result = partition.appendAsLeader(data.getRecords().asReadOnlyByteBuffer(),
                    acks == Acks.ACKS_ALL);
            slot.appended(partition, result, acks == Acks.ACKS_ALL);
        } catch (RuntimeException e) {
            slot.fail(e);
        }
        return slot;
    }

    /** Resolves an acks=all slot against its partition's replication state. */
    void check(PartitionSlot slot) {
        AppendResult appended = slot.result();
        AckStatus status = slot.partition().ackStatus(appended.leaderEpoch(), appended.requiredOffset());
        switch (status.state()) {
            case COMMITTED -> slot.committed();
            case WAITING -> {
                // still replicating
            }
            case NOT_ENOUGH_REPLICAS_AFTER_APPEND -> slot.fail(new PartitionException(
                    ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND, "the ISR of " + slot.partition().id()
                    + " fell below min.insync.replicas before offset " + appended.lastOffset() + " was replicated"));
            case LEADERSHIP_LOST -> slot.fail(new OutcomeUnknownException("broker " + replicas.localBrokerId()
                    + " stopped leading " + slot.partition().id() + " in epoch " + appended.leaderEpoch()
                    + " before offset " + appended.lastOffset() + " was replicated; its outcome is unknown",
                    status.leaderId(), status.leaderEpoch()));
            default -> throw new IllegalStateException("unknown ack state " + status.state());
        }
    }

    /** Builds the answer from the slots' outcomes; waiting slots are timed out (outcome unknown). */
    ProduceResponse buildResponse(ProduceRequest request, Acks acks, List<PartitionSlot> slots) {
        ProduceResponse.Builder response = ProduceResponse.newBuilder().setCorrelationId(request.getCorrelationId());
        int next = 0;
        for (TopicProduceData topic : request.getTopicsList()) {
            TopicProduceResponse.Builder answers = TopicProduceResponse.newBuilder().setTopic(topic.getTopic());
            for (int i = 0; i < topic.getPartitionsCount(); i++) {
                PartitionSlot slot = slots.get(next++);
                if (slot.isWaiting()) {
                    slot.fail(new OutcomeUnknownException("offset " + slot.result().lastOffset() + " of "
                            + slot.key() + " was not replicated to the ISR before the answer was due (timeout or "
                            + "shutdown); its outcome is unknown", -1, -1));
                }
                answers.addPartitions(answer(slot, acks));
            }
            response.addTopics(answers);
        }
        return response.build();
    }

    private PartitionProduceResponse answer(PartitionSlot slot, Acks acks) {
        PartitionProduceResponse.Builder answer = PartitionProduceResponse.newBuilder()
                .setPartition(slot.partitionIndex());
        if (slot.error() != null) {
            WireError error = toWire(slot.error());
            answer.setErrorCode(error.code()).setErrorMessage(error.message())
                    .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
            error.hint(replicas).ifPresent(answer::setCurrentLeader);
            return answer.build();
        }
        AppendResult result = slot.result();
        return answer.setErrorCode(ErrorCode.ERROR_CODE_NONE)
                .setBaseOffset(acks == Acks.ACKS_NONE ? -1 : result.baseOffset())
                .setLogAppendTimeMs(result.logAppendTimeMs())
                .setLogStartOffset(result.logStartOffset())
                .build();
    }

    /**
     * The Produce API's one mapping from internal failures to wire codes: refusals keep their code
     * and leader hint, a batch whose outcome is unknown (leadership moved before it was replicated,
     * timeout, shutdown) is REQUEST_TIMED_OUT, anything unexpected is UNKNOWN_SERVER_ERROR.
     */
    static WireError toWire(Throwable failure) {
        return WireError.from(failure, "producing");
    }

    private static ProduceResponse refusal(ProduceRequest request, ErrorCode code, String message) {
        return ProduceResponse.newBuilder().setCorrelationId(request.getCorrelationId())
                .setErrorCode(code).setErrorMessage(message).build();
    }

    /** A whole-request refusal, e.g. NODE_NOT_READY while stopping. */
    public static ProduceResponse refuse(ProduceRequest request, ErrorCode code, String message) {
        return refusal(request, code, message);
    }
}
