package io.sluice.broker.server.dataplane.internal;

import com.google.protobuf.UnsafeByteOperations;
import io.sluice.broker.partition.FetchedRecords;
import io.sluice.broker.partition.LeaderRole;
import io.sluice.broker.partition.Partition;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.Clock;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartition;
import io.sluice.proto.v1.FetchPartitionResponse;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.FetchTopic;
import io.sluice.proto.v1.FetchTopicResponse;
import io.sluice.proto.v1.IsolationLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The consumer Fetch API: validates the request, reads whole batches below the high watermark from
 * each partition this broker leads (total and per-partition byte bounds, first batch always), and
 * answers at once when {@code min_bytes} are there, {@code max_wait_ms} is 0 or a partition failed;
 * otherwise a {@link DelayedRead} waits for a high watermark or role change or the deadline. The
 * batches are wrapped into the answer without copying. READ_COMMITTED reads the same as
 * READ_UNCOMMITTED: without transactions the last stable offset is the high watermark.
 *
 * <p>Errors map to wire codes in one place, {@link #toWire}. Thread-safe.
 */
public final class FetchHandler {
    private final ReplicaManager replicas;
    private final Purgatory<DelayedRead> purgatory;
    private final Clock clock;
    private final int maxPartitions;
    private final int maxWaitMs;
    private final int defaultMaxBytes;
    private final int defaultPartitionMaxBytes;

    /** One partition of a fetch: where to read, or why it cannot be read. */
    record Target(FetchPartition request, Partition partition, int leaderEpoch, RuntimeException error) {
        TopicIdPartition key() {
            return partition.id();
        }
    }

    public FetchHandler(ReplicaManager replicas, Purgatory<DelayedRead> purgatory, int maxPartitions, int maxWaitMs,
            int defaultMaxBytes, int defaultPartitionMaxBytes) {
        this.replicas = replicas;
        this.purgatory = purgatory;
        this.clock = replicas.clock();
        this.maxPartitions = maxPartitions;
        this.maxWaitMs = maxWaitMs;
        this.defaultMaxBytes = defaultMaxBytes;
        this.defaultPartitionMaxBytes = defaultPartitionMaxBytes;
    }

    /** Handles one fetch; {@code respond} is called exactly once, on this or another thread. */
    public void handle(FetchRequest request, Consumer<FetchResponse> respond) {
        RequestChecks checks = validate(request);
        if (checks.problem() != null) {
            respond.accept(refuse(checks.tooLarge() ? ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE
                    : ErrorCode.ERROR_CODE_INVALID_REQUEST, checks.problem()));
            return;
        }
        List<Target> targets = new ArrayList<>();
        for (FetchTopic topic : request.getTopicsList()) {
            for (FetchPartition p : topic.getPartitionsList()) {
                targets.add(resolve(topic.getTopic(), p));
            }
        }
        int minBytes = request.getMaxWaitMs() > 0 ? Math.max(1, request.getMinBytes()) : 0;
        DelayedRead op = new DelayedRead(clock.monotonicMs() + request.getMaxWaitMs(),
                () -> shouldAnswer(targets, minBytes, request.getMaxBytes()),
                () -> respond.accept(buildResponse(request, read(targets, request.getMaxBytes()))));
        List<TopicIdPartition> keys = new ArrayList<>();
        boolean failed = false;
        for (Target target : targets) {
            if (target.error() == null) {
                keys.add(target.key());
            } else {
                failed = true;
            }
        }
        if (request.getMaxWaitMs() == 0 || failed || keys.isEmpty()) {
            op.forceComplete();
        } else {
            purgatory.tryCompleteElseWatch(op, keys);
        }
    }

    private RequestChecks validate(FetchRequest request) {
        RequestChecks checks = new RequestChecks(maxPartitions)
                .range("max_wait_ms", request.getMaxWaitMs(), 0, maxWaitMs)
                .range("min_bytes", request.getMinBytes(), 0, Integer.MAX_VALUE)
                .range("max_bytes", request.getMaxBytes(), 0, Integer.MAX_VALUE)
                .require(request.getIsolationLevel() != IsolationLevel.UNRECOGNIZED, "isolation_level "
                        + request.getIsolationLevelValue() + " is not a known value");
        for (FetchTopic topic : request.getTopicsList()) {
            checks.topic(topic.getTopic());
            for (FetchPartition p : topic.getPartitionsList()) {
                checks.partition(topic.getTopic(), p.getPartition())
                        .range("fetch_offset", p.getFetchOffset(), 0, Long.MAX_VALUE)
                        .range("partition_max_bytes", p.getPartitionMaxBytes(), 0, Integer.MAX_VALUE)
                        .range("current_leader_epoch", p.getCurrentLeaderEpoch(), -1, Integer.MAX_VALUE);
            }
        }
        return checks;
    }

    private Target resolve(String topic, FetchPartition request) {
        try {
            Partition partition = replicas.partitionForClient(topic, request.getPartition());
            LeaderRole leader = partition.leaderForRequest(request.getCurrentLeaderEpoch());
            return new Target(request, partition, leader.leaderEpoch(), null);
        } catch (RuntimeException e) {
            return new Target(request, null, -1, e);
        }
    }

    /** Whether a waiting fetch should answer now: a partition changed leadership, or data arrived. */
    boolean shouldAnswer(List<Target> targets, int minBytes, int maxBytes) {
        boolean anyData = false;
        for (Target target : targets) {
            if (target.error() != null) {
                continue;
            }
            if (target.partition().role().leaderEpoch() != target.leaderEpoch()
                    || !(target.partition().role() instanceof LeaderRole)) {
                return true;
            }
            anyData |= target.partition().hasVisibleData(target.request().getFetchOffset());
        }
        if (!anyData) {
            return false;
        }
        return minBytes <= 1 || PartitionRead.totalBytes(read(targets, maxBytes)) >= minBytes;
    }

    /** Reads every target within the byte bounds, in request order. */
    List<PartitionRead> read(List<Target> targets, int requestMaxBytes) {
        ByteBudget budget = new ByteBudget(requestMaxBytes == 0 ? defaultMaxBytes : requestMaxBytes);
        List<PartitionRead> results = new ArrayList<>(targets.size());
        for (Target target : targets) {
            if (target.error() != null) {
                results.add(PartitionRead.failed(target.error()));
                continue;
            }
            int partitionMax = target.request().getPartitionMaxBytes() == 0 ? defaultPartitionMaxBytes
                    : target.request().getPartitionMaxBytes();
            try {
                FetchedRecords fetched = target.partition().readForConsumer(target.request().getFetchOffset(),
                        target.request().getCurrentLeaderEpoch(), budget.nextLimit(partitionMax), budget.minOneBatch());
                budget.consumed(fetched.sizeInBytes());
                results.add(PartitionRead.of(fetched));
            } catch (RuntimeException e) {
                results.add(PartitionRead.failed(e));
            }
        }
        return results;
    }

    /** Builds the answer: one entry per requested partition, in request order. */
    FetchResponse buildResponse(FetchRequest request, List<PartitionRead> results) {
        FetchResponse.Builder response = FetchResponse.newBuilder();
        int next = 0;
        for (FetchTopic topic : request.getTopicsList()) {
            FetchTopicResponse.Builder answers = FetchTopicResponse.newBuilder().setTopic(topic.getTopic());
            for (FetchPartition p : topic.getPartitionsList()) {
                answers.addPartitions(answer(p, results.get(next++)));
            }
            response.addTopics(answers);
        }
        return response.build();
    }

    private FetchPartitionResponse answer(FetchPartition request, PartitionRead result) {
        FetchPartitionResponse.Builder answer = FetchPartitionResponse.newBuilder()
                .setPartition(request.getPartition());
        FetchedRecords fetched = result.records();
        if (fetched != null) {
            return answer.setErrorCode(ErrorCode.ERROR_CODE_NONE)
                    .setHighWatermark(fetched.highWatermark())
                    .setLastStableOffset(fetched.highWatermark())
                    .setLogStartOffset(fetched.logStartOffset())
                    .setRecords(UnsafeByteOperations.unsafeWrap(fetched.records()))
                    .build();
        }
        WireError error = toWire(result.error());
        answer.setErrorCode(error.code()).setErrorMessage(error.message())
                .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
        error.hint(replicas).ifPresent(answer::setCurrentLeader);
        return answer.build();
    }

    /**
     * The Fetch API's one mapping from internal failures to wire codes: leadership, epoch and offset
     * refusals keep their code and leader hint; storage failures their storage code; anything
     * unexpected is UNKNOWN_SERVER_ERROR.
     */
    static WireError toWire(Throwable failure) {
        return WireError.from(failure, "fetching");
    }

    /** A whole-request refusal. */
    public static FetchResponse refuse(ErrorCode code, String message) {
        return FetchResponse.newBuilder().setErrorCode(code).setErrorMessage(message).build();
    }
}
