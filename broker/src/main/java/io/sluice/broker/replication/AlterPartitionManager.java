package io.sluice.broker.replication;

import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.v1.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the ISR changes that partition leaders propose to the controller, batching all proposals
 * made between two polls into one AlterPartition request, with at most one request in flight (as
 * Kafka's AlterPartitionManager). Every proposal gets exactly one result through its callback, on
 * the core thread:
 * <ul>
 *   <li>the controller's per-partition result;</li>
 *   <li>the request-level error (NOT_CONTROLLER, STALE_BROKER_EPOCH) copied to each partition;</li>
 *   <li>{@code REQUEST_TIMED_OUT} when the answer is unknown (transport failure, no answer within
 *       {@code requestTimeoutMs}, or a partition missing from the answer): the change may or may
 *       not have been applied.</li>
 * </ul>
 * A later proposal for a partition replaces a queued one that was not sent yet.
 *
 * <p>Single-threaded and poll-driven: {@link #submit} and {@link #poll} run on the replication core's
 * thread; the channel's answer is handed over through the {@link Inbox}.
 */
public final class AlterPartitionManager {
    private static final Logger LOG = LoggerFactory.getLogger(AlterPartitionManager.class);

    private final int localBrokerId;
    private final LongSupplier brokerEpoch;
    private final AlterPartitionChannel channel;
    private final Inbox inbox;
    private final long retryBackoffMs;
    private final long requestTimeoutMs;
    private final Map<TopicIdPartition, Proposal> queued = new LinkedHashMap<>();

    private Map<TopicIdPartition, Proposal> inFlight;
    private long inFlightSequence;
    private long inFlightDeadlineMs;
    private long backoffUntilMs;

    /** Receives the result of one proposal, on the core thread. */
    @FunctionalInterface
    public interface ResultHandler {
        void onResult(PartitionChangeResult result, long nowMs);
    }

    private record Proposal(PartitionChangeRequest request, ResultHandler onResult) {
    }

    public AlterPartitionManager(int localBrokerId, LongSupplier brokerEpoch, AlterPartitionChannel channel,
            Inbox inbox, long retryBackoffMs, long requestTimeoutMs) {
        this.localBrokerId = localBrokerId;
        this.brokerEpoch = brokerEpoch;
        this.channel = channel;
        this.inbox = inbox;
        this.retryBackoffMs = retryBackoffMs;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** Queues a proposal; {@code onResult} runs once on the core thread with its result. */
    public void submit(PartitionChangeRequest request, ResultHandler onResult) {
        queued.put(new TopicIdPartition(request.getTopicId(), request.getPartition()), new Proposal(request, onResult));
    }

    /** Sends queued proposals if nothing is in flight; times out an unanswered request. */
    public long poll(long nowMs) {
        if (inFlight != null && nowMs >= inFlightDeadlineMs) {
            Map<TopicIdPartition, Proposal> lost = inFlight;
            inFlight = null;
            backoffUntilMs = nowMs + retryBackoffMs;
            failAll(lost, "no answer from the controller within " + requestTimeoutMs + " ms", nowMs);
        }
        if (inFlight == null && !queued.isEmpty() && nowMs >= backoffUntilMs) {
            send(nowMs);
        }
        if (inFlight != null) {
            return inFlightDeadlineMs;
        }
        return queued.isEmpty() ? Long.MAX_VALUE : backoffUntilMs;
    }

    /** Whether a request is waiting for the controller. */
    public boolean hasInFlight() {
        return inFlight != null;
    }

    private void send(long nowMs) {
        inFlight = new LinkedHashMap<>(queued);
        queued.clear();
        long sequence = ++inFlightSequence;
        inFlightDeadlineMs = nowMs + requestTimeoutMs;
        AlterPartitionRequest.Builder request = AlterPartitionRequest.newBuilder()
                .setBrokerId(localBrokerId)
                .setBrokerEpoch(brokerEpoch.getAsLong());
        inFlight.values().forEach(p -> request.addPartitions(p.request()));
        try {
            channel.alterPartition(request.build()).whenComplete((response, error) ->
                    inbox.post(now -> handleAnswer(sequence, response, error, now)));
        } catch (RuntimeException e) {
            inbox.post(now -> handleAnswer(sequence, null, e, now));
        }
    }

    private void handleAnswer(long sequence, AlterPartitionResponse response, Throwable error, long nowMs) {
        if (inFlight == null || sequence != inFlightSequence) {
            return;
        }
        Map<TopicIdPartition, Proposal> answered = inFlight;
        inFlight = null;
        if (error != null) {
            backoffUntilMs = nowMs + retryBackoffMs;
            failAll(answered, "AlterPartition failed: " + error, nowMs);
            return;
        }
        if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            backoffUntilMs = nowMs + retryBackoffMs;
            answered.forEach((id, p) -> p.onResult().onResult(result(p.request(), response.getErrorCode(),
                    response.getErrorMessage()), nowMs));
            return;
        }
        Map<TopicIdPartition, PartitionChangeResult> results = new LinkedHashMap<>();
        for (PartitionChangeResult r : response.getPartitionsList()) {
            results.put(new TopicIdPartition(r.getTopicId(), r.getPartition()), r);
        }
        answered.forEach((id, p) -> {
            PartitionChangeResult r = results.get(id);
            p.onResult().onResult(r != null ? r : result(p.request(), ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT,
                    "the controller's answer did not mention " + id), nowMs);
        });
    }

    private void failAll(Map<TopicIdPartition, Proposal> proposals, String why, long nowMs) {
        LOG.debug("ISR change proposals for {} have an unknown outcome: {}", proposals.keySet(), why);
        proposals.forEach((id, p) -> p.onResult().onResult(result(p.request(),
                ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, why), nowMs));
    }

    /** A result carrying only an error (no partition state), for outcomes the controller did not state. */
    private static PartitionChangeResult result(PartitionChangeRequest request, ErrorCode code, String message) {
        return PartitionChangeResult.newBuilder()
                .setTopicId(request.getTopicId())
                .setPartition(request.getPartition())
                .setErrorCode(code)
                .setErrorMessage(message)
                .setLeaderId(-1)
                .setLeaderEpoch(-1)
                .setPartitionEpoch(-1)
                .build();
    }
}
