package io.sluice.broker.server.dataplane.internal;

import com.google.protobuf.UnsafeByteOperations;
import io.sluice.broker.log.EpochEndOffset;
import io.sluice.broker.partition.FetchedRecords;
import io.sluice.broker.partition.LeaderRole;
import io.sluice.broker.partition.Partition;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.replication.FetchPosition;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.Clock;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.ReplicaFetchPartition;
import io.sluice.proto.internal.v1.ReplicaFetchPartitionResponse;
import io.sluice.proto.internal.v1.ReplicaFetchRequest;
import io.sluice.proto.internal.v1.ReplicaFetchResponse;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The leader's side of ReplicaFetch: refuses a stale broker epoch; per partition checks the
 * follower's epoch and log against its own (answering the divergence point when they differ),
 * records the follower's progress (which moves the high watermark and the ISR), and returns whole
 * batches from the follower's offset up to the log end with the high watermark and log start. A
 * fetch that finds fewer than {@code min_bytes} waits in a {@link DelayedRead} for the log
 * end to move, a role change, or {@code max_wait_ms}.
 *
 * <p>Errors map to wire codes in one place, {@link #toWire}; OFFSET_OUT_OF_RANGE answers carry the
 * leader's log start and high watermark so that a follower behind the log start can restart there.
 * Thread-safe.
 */
public final class ReplicaFetchHandler {
    private final ReplicaManager replicas;
    private final Purgatory<DelayedRead> purgatory;
    private final Clock clock;
    private final int maxPartitions;
    private final int maxWaitMs;

    /** One partition of a replica fetch: readable, diverged, or failed. */
    record Target(ReplicaFetchPartition request, Partition partition, int leaderEpoch, EpochEndOffset diverging,
            RuntimeException error) {
        boolean readable() {
            return error == null && diverging == null;
        }
    }

    public ReplicaFetchHandler(ReplicaManager replicas, Purgatory<DelayedRead> purgatory, int maxPartitions,
            int maxWaitMs) {
        this.replicas = replicas;
        this.purgatory = purgatory;
        this.clock = replicas.clock();
        this.maxPartitions = maxPartitions;
        this.maxWaitMs = maxWaitMs;
    }

    /** Handles one replica fetch; {@code respond} is called exactly once, on this or another thread. */
    public void handle(ReplicaFetchRequest request, Consumer<ReplicaFetchResponse> respond) {
        RequestChecks checks = validate(request);
        if (checks.problem() != null) {
            respond.accept(refuse(checks.tooLarge() ? ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE
                    : ErrorCode.ERROR_CODE_INVALID_REQUEST, checks.problem()));
            return;
        }
        Optional<BrokerRecord> follower = replicas.broker(request.getReplicaId());
        if (follower.isPresent() && request.getBrokerEpoch() < follower.get().getBrokerEpoch()) {
            respond.accept(refuse(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, "broker " + request.getReplicaId()
                    + " fetched with epoch " + request.getBrokerEpoch() + " but is registered with epoch "
                    + follower.get().getBrokerEpoch()));
            return;
        }
        long nowMs = clock.monotonicMs();
        List<Target> targets = new ArrayList<>();
        boolean answerNow = request.getMaxWaitMs() == 0;
        for (ReplicaFetchPartition p : request.getPartitionsList()) {
            Target target = resolve(request.getReplicaId(), p, nowMs);
            answerNow |= !target.readable();
            targets.add(target);
        }
        int minBytes = request.getMaxWaitMs() > 0 ? Math.max(1, request.getMinBytes()) : 0;
        DelayedRead op = new DelayedRead(nowMs + request.getMaxWaitMs(),
                () -> shouldAnswer(targets, minBytes, request.getMaxBytes()),
                () -> respond.accept(buildResponse(targets, read(targets, request.getMaxBytes()))));
        if (answerNow) {
            op.forceComplete();
        } else {
            purgatory.tryCompleteElseWatch(op, targets.stream().map(t -> t.partition().id()).toList());
        }
    }

    private RequestChecks validate(ReplicaFetchRequest request) {
        RequestChecks checks = new RequestChecks(maxPartitions)
                .range("replica_id", request.getReplicaId(), 0, Integer.MAX_VALUE)
                .require(request.getReplicaId() != replicas.localBrokerId(), "broker "
                        + replicas.localBrokerId() + " cannot replicate from itself")
                .range("max_wait_ms", request.getMaxWaitMs(), 0, maxWaitMs)
                .range("min_bytes", request.getMinBytes(), 0, Integer.MAX_VALUE)
                .range("max_bytes", request.getMaxBytes(), 0, Integer.MAX_VALUE);
        for (ReplicaFetchPartition p : request.getPartitionsList()) {
            checks.require(!p.getTopicId().isEmpty(), "a topic id is empty")
                    .partition(p.getTopicId(), p.getPartition())
                    .range("fetch_offset", p.getFetchOffset(), 0, Long.MAX_VALUE)
                    .range("last_fetched_epoch", p.getLastFetchedEpoch(), -1, Integer.MAX_VALUE)
                    .range("current_leader_epoch", p.getCurrentLeaderEpoch(), -1, Integer.MAX_VALUE)
                    .range("log_start_offset", p.getLogStartOffset(), -1, Long.MAX_VALUE)
                    .range("partition_max_bytes", p.getPartitionMaxBytes(), 0, Integer.MAX_VALUE);
        }
        return checks;
    }

    private Target resolve(int replicaId, ReplicaFetchPartition request, long nowMs) {
        Partition partition = null;
        try {
            partition = replicas.partitionForReplica(new TopicIdPartition(request.getTopicId(),
                    request.getPartition()));
            FetchPosition position = new FetchPosition(request.getCurrentLeaderEpoch(), request.getFetchOffset(),
                    request.getLastFetchedEpoch(), request.getLogStartOffset());
            Optional<EpochEndOffset> diverging = partition.onFollowerFetch(replicaId, position, nowMs);
            LeaderRole leader = partition.leaderForRequest(request.getCurrentLeaderEpoch());
            return new Target(request, partition, leader.leaderEpoch(), diverging.orElse(null), null);
        } catch (RuntimeException e) {
            return new Target(request, partition, -1, null, e);
        }
    }

    /** Whether a waiting replica fetch should answer now: leadership changed, or new data arrived. */
    boolean shouldAnswer(List<Target> targets, int minBytes, int maxBytes) {
        boolean anyData = false;
        for (Target target : targets) {
            Partition partition = target.partition();
            if (!(partition.role() instanceof LeaderRole) || partition.role().leaderEpoch() != target.leaderEpoch()) {
                return true;
            }
            anyData |= partition.logEndOffset() > target.request().getFetchOffset()
                    || partition.logStartOffset() > target.request().getFetchOffset();
        }
        if (!anyData) {
            return false;
        }
        return minBytes <= 1 || PartitionRead.totalBytes(read(targets, maxBytes)) >= minBytes;
    }

    /** Reads every readable target within the byte bounds, in request order. */
    List<PartitionRead> read(List<Target> targets, int maxBytes) {
        ByteBudget budget = new ByteBudget(maxBytes == 0 ? Integer.MAX_VALUE : maxBytes);
        List<PartitionRead> results = new ArrayList<>(targets.size());
        for (Target target : targets) {
            if (!target.readable()) {
                results.add(PartitionRead.failed(target.error()));
                continue;
            }
            int partitionMax = target.request().getPartitionMaxBytes() == 0 ? Integer.MAX_VALUE
                    : target.request().getPartitionMaxBytes();
            try {
                FetchedRecords fetched = target.partition().readForFollower(target.request().getFetchOffset(),
                        target.leaderEpoch(), budget.nextLimit(partitionMax), budget.minOneBatch());
                budget.consumed(fetched.sizeInBytes());
                results.add(PartitionRead.of(fetched));
            } catch (RuntimeException e) {
                results.add(PartitionRead.failed(e));
            }
        }
        return results;
    }

    /** Builds the answer: one entry per requested partition, in request order. */
    ReplicaFetchResponse buildResponse(List<Target> targets, List<PartitionRead> results) {
        ReplicaFetchResponse.Builder response = ReplicaFetchResponse.newBuilder();
        for (int i = 0; i < targets.size(); i++) {
            response.addPartitions(answer(targets.get(i), results.get(i)));
        }
        return response.build();
    }

    private ReplicaFetchPartitionResponse answer(Target target, PartitionRead result) {
        ReplicaFetchPartition request = target.request();
        ReplicaFetchPartitionResponse.Builder answer = ReplicaFetchPartitionResponse.newBuilder()
                .setTopicId(request.getTopicId()).setPartition(request.getPartition());
        Partition partition = target.partition();
        if (target.diverging() != null) {
            return answer.setErrorCode(ErrorCode.ERROR_CODE_NONE)
                    .setHighWatermark(partition.highWatermark())
                    .setLogStartOffset(partition.logStartOffset())
                    .setDivergingEpoch(io.sluice.proto.internal.v1.EpochEndOffset.newBuilder()
                            .setEpoch(target.diverging().epoch()).setEndOffset(target.diverging().endOffset()))
                    .build();
        }
        if (result.records() != null) {
            FetchedRecords fetched = result.records();
            return answer.setErrorCode(ErrorCode.ERROR_CODE_NONE)
                    .setHighWatermark(fetched.highWatermark())
                    .setLogStartOffset(fetched.logStartOffset())
                    .setRecords(UnsafeByteOperations.unsafeWrap(fetched.records()))
                    .build();
        }
        WireError error = toWire(result.error());
        boolean outOfRange = error.code() == ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE && partition != null;
        return answer.setErrorCode(error.code()).setErrorMessage(error.message())
                .setHighWatermark(outOfRange ? partition.highWatermark() : -1)
                .setLogStartOffset(outOfRange ? partition.logStartOffset() : -1)
                .build();
    }

    /**
     * The ReplicaFetch API's one mapping from internal failures to wire codes: FENCED/UNKNOWN leader
     * epoch, NOT_LEADER, REPLICA_NOT_AVAILABLE, OFFSET_OUT_OF_RANGE and storage codes as they are;
     * anything unexpected is UNKNOWN_SERVER_ERROR.
     */
    static WireError toWire(Throwable failure) {
        return WireError.from(failure, "serving a replica fetch");
    }

    /** A whole-request refusal. */
    public static ReplicaFetchResponse refuse(ErrorCode code, String message) {
        return ReplicaFetchResponse.newBuilder().setErrorCode(code).setErrorMessage(message).build();
    }
}
