package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.partition.OffsetLookup;
import io.sluice.broker.partition.PartitionException;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IsolationLevel;
import io.sluice.proto.v1.ListOffsetsPartition;
import io.sluice.proto.v1.ListOffsetsPartitionResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsResponse;
import io.sluice.proto.v1.ListOffsetsTopic;
import io.sluice.proto.v1.ListOffsetsTopicResponse;
import io.sluice.proto.v1.OffsetSpec;

/**
 * The ListOffsets API on a partition leader: earliest (log start), latest (high watermark, which is
 * also the last stable offset without transactions), by timestamp, and max timestamp. Answers at
 * once. The answer has no request-level error, so a request that is invalid as a whole (duplicate or
 * too many partitions) gets that error on every partition. Errors map to wire codes in one place,
 * {@link #toWire}. Thread-safe.
 */
public final class ListOffsetsHandler {
    private final ReplicaManager replicas;
    private final int maxPartitions;

    public ListOffsetsHandler(ReplicaManager replicas, int maxPartitions) {
        this.replicas = replicas;
        this.maxPartitions = maxPartitions;
    }

    public ListOffsetsResponse handle(ListOffsetsRequest request) {
        RequestChecks checks = new RequestChecks(maxPartitions).require(request.getIsolationLevel()
                != IsolationLevel.UNRECOGNIZED, "isolation_level " + request.getIsolationLevelValue() + " is unknown");
        for (ListOffsetsTopic topic : request.getTopicsList()) {
            checks.topic(topic.getName());
            topic.getPartitionsList().forEach(p -> checks.partition(topic.getName(), p.getPartition()));
        }
        WireError whole = checks.problem() == null ? null : WireError.of(checks.tooLarge()
                ? ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE : ErrorCode.ERROR_CODE_INVALID_REQUEST, checks.problem());
        ListOffsetsResponse.Builder response = ListOffsetsResponse.newBuilder();
        for (ListOffsetsTopic topic : request.getTopicsList()) {
            ListOffsetsTopicResponse.Builder answers = ListOffsetsTopicResponse.newBuilder().setName(topic.getName());
            for (ListOffsetsPartition p : topic.getPartitionsList()) {
                answers.addPartitions(whole != null ? failure(p, whole) : lookup(topic.getName(), p));
            }
            response.addTopics(answers);
        }
        return response.build();
    }

    private ListOffsetsPartitionResponse lookup(String topic, ListOffsetsPartition p) {
        try {
            if (p.getSpec() == OffsetSpec.OFFSET_SPEC_UNSPECIFIED || p.getSpec() == OffsetSpec.UNRECOGNIZED) {
                throw new PartitionException(ErrorCode.ERROR_CODE_INVALID_REQUEST, "spec must be set to a known value");
            }
            if (p.getSpec() == OffsetSpec.OFFSET_SPEC_TIMESTAMP && p.getTimestampMs() < 0) {
                throw new PartitionException(ErrorCode.ERROR_CODE_INVALID_REQUEST, "timestamp_ms "
                        + p.getTimestampMs() + " is negative");
            }
            if (p.getCurrentLeaderEpoch() < -1) {
                throw new PartitionException(ErrorCode.ERROR_CODE_INVALID_REQUEST, "current_leader_epoch "
                        + p.getCurrentLeaderEpoch() + " is below -1");
            }
            OffsetLookup found = replicas.partitionForClient(topic, p.getPartition())
                    .listOffset(p.getSpec(), p.getTimestampMs(), p.getCurrentLeaderEpoch());
            return ListOffsetsPartitionResponse.newBuilder().setPartition(p.getPartition())
                    .setErrorCode(ErrorCode.ERROR_CODE_NONE).setOffset(found.offset())
                    .setTimestampMs(found.timestampMs()).setLeaderEpoch(found.leaderEpoch()).build();
        } catch (RuntimeException e) {
            return failure(p, toWire(e));
        }
    }

    private ListOffsetsPartitionResponse failure(ListOffsetsPartition p, WireError error) {
        ListOffsetsPartitionResponse.Builder answer = ListOffsetsPartitionResponse.newBuilder()
                .setPartition(p.getPartition()).setErrorCode(error.code()).setErrorMessage(error.message())
                .setOffset(-1).setTimestampMs(-1).setLeaderEpoch(-1);
        error.hint(replicas).ifPresent(answer::setCurrentLeader);
        return answer.build();
    }

    /**
     * The ListOffsets API's one mapping from internal failures to wire codes: leadership, epoch,
     * OFFSET_NOT_AVAILABLE and invalid-field refusals keep their code; anything unexpected is
     * UNKNOWN_SERVER_ERROR.
     */
    static WireError toWire(Throwable failure) {
        return WireError.from(failure, "listing offsets");
    }
}
