package io.sluice.client.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.NotLeaderException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.errors.UnknownTopicOrPartitionException;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.network.HostPort;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IsolationLevel;
import io.sluice.proto.v1.ListOffsetsPartition;
import io.sluice.proto.v1.ListOffsetsPartitionResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsResponse;
import io.sluice.proto.v1.ListOffsetsTopic;
import io.sluice.proto.v1.ListOffsetsTopicResponse;
import io.sluice.proto.v1.OffsetSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Looks up offsets (earliest, latest, by timestamp) of partitions at their leaders: one
 * {@code ListOffsets} per leader, partitions that met a leadership error retried after a metadata
 * refresh (or at the hinted leader) until the deadline. A topic the metadata reports as unknown,
 * or a partition index it lacks, fails the operation at once. Used by the consumer (resets,
 * {@code offsetsForTimes}) and the admin client. Not thread-safe.
 */
public final class ListOffsetsOperation implements Operation {
    /** What to look up for one partition. */
    public record Query(OffsetSpec spec, long timestampMs) {
    }

    /** One answer: the offset (-1 if no record matches), its timestamp and leader epoch (-1 if none). */
    public record Result(long offset, long timestampMs, int leaderEpoch) {
    }

    private final Map<TopicPartition, Query> remaining;
    private final Map<TopicPartition, Result> results = new LinkedHashMap<>();
    private final Set<TopicPartition> inFlight = new HashSet<>();
    private final Map<TopicPartition, Long> retryAtMs = new HashMap<>();
    private final IsolationLevel isolation;
    private final long deadlineMs;
    private final CompletableFuture<Map<TopicPartition, Result>> future = new CompletableFuture<>();
    private int attempts;
    private long nowMs;
    private SluiceException lastError;

    public ListOffsetsOperation(Map<TopicPartition, Query> queries, IsolationLevel isolation, long deadlineMs) {
        this.remaining = new LinkedHashMap<>(queries);
        this.isolation = isolation;
        this.deadlineMs = deadlineMs;
    }

    /** Completes with one result per partition asked, or the failure. */
    public CompletableFuture<Map<TopicPartition, Result>> future() {
        return future;
    }

    @Override
    public boolean poll(long now, OperationContext context) {
        this.nowMs = now;
        if (future.isDone()) {
            return true;
        }
        if (remaining.isEmpty() && inFlight.isEmpty()) {
            future.complete(results);
            return true;
        }
        if (now >= deadlineMs) {
            future.completeExceptionally(new SluiceTimeoutException("offsets of " + remaining.keySet()
                    + " not found in time" + (lastError == null ? "" : "; last error: " + lastError.getMessage())));
            return true;
        }
        context.metadata().addTopics(topicsOf(remaining.keySet()));
        Cluster cluster = context.metadata().cluster();
        Map<HostPort, List<TopicPartition>> byLeader = new LinkedHashMap<>();
        for (TopicPartition tp : remaining.keySet()) {
            if (inFlight.contains(tp) || retryAtMs.getOrDefault(tp, 0L) > now) {
                continue;
            }
            if (failIfUnknown(tp, cluster)) {
                return true;
            }
            var leader = cluster.leader(tp);
            if (leader.isEmpty()) {
                context.metadata().requestUpdate();
                continue;
            }
            byLeader.computeIfAbsent(leader.get().address(), k -> new ArrayList<>()).add(tp);
        }
        byLeader.forEach((node, partitions) -> send(node, partitions, cluster, context));
        return false;
    }

    private boolean failIfUnknown(TopicPartition tp, Cluster cluster) {
        boolean unknownTopic = cluster.topic(tp.topic()).isEmpty()
                && cluster.topicError(tp.topic()).orElse(null) == ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION;
        int count = cluster.partitionCount(tp.topic());
        if (unknownTopic || (count > 0 && tp.partition() >= count)) {
            future.completeExceptionally(new UnknownTopicOrPartitionException(unknownTopic
                    ? "topic '" + tp.topic() + "' does not exist"
                    : "partition " + tp + " does not exist (the topic has " + count + ")"));
            return true;
        }
        return false;
    }

    private static Set<String> topicsOf(Set<TopicPartition> partitions) {
        Set<String> topics = new HashSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        return topics;
    }

    private void send(HostPort node, List<TopicPartition> partitions, Cluster cluster, OperationContext context) {
        Map<String, ListOffsetsTopic.Builder> topics = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            Query q = remaining.get(tp);
            int epoch = cluster.partition(tp).map(Cluster.Partition::leaderEpoch).orElse(-1);
            topics.computeIfAbsent(tp.topic(), t -> ListOffsetsTopic.newBuilder().setName(t))
                    .addPartitions(ListOffsetsPartition.newBuilder().setPartition(tp.partition()).setSpec(q.spec())
                            .setTimestampMs(Math.max(0, q.timestampMs())).setCurrentLeaderEpoch(epoch));
            inFlight.add(tp);
        }
        ListOffsetsRequest.Builder request = ListOffsetsRequest.newBuilder().setIsolationLevel(isolation);
        topics.values().forEach(request::addTopics);
        context.network().send(node, AdminServiceGrpc.getListOffsetsMethod(), request.build(), nowMs,
                context.requestTimeoutMs(), (response, error) -> handle(partitions, response, error, context));
    }

    private void handle(List<TopicPartition> partitions, ListOffsetsResponse response, SluiceException error,
            OperationContext context) {
        partitions.forEach(inFlight::remove);
        if (error != null) {
            retryLater(partitions, error, context);
            return;
        }
        Map<TopicPartition, ListOffsetsPartitionResponse> answers = new HashMap<>();
        for (ListOffsetsTopicResponse t : response.getTopicsList()) {
            for (ListOffsetsPartitionResponse p : t.getPartitionsList()) {
                answers.put(new TopicPartition(t.getName(), p.getPartition()), p);
            }
        }
        for (TopicPartition tp : partitions) {
            ListOffsetsPartitionResponse p = answers.get(tp);
            if (p == null) {
                retryLater(List.of(tp), Errors.toException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR,
                        "the answer did not mention " + tp), context);
            } else if (p.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                remaining.remove(tp);
                results.put(tp, new Result(p.getOffset(), p.getTimestampMs(), p.getLeaderEpoch()));
            } else {
                SluiceException e = Errors.toException(p.getErrorCode(), p.getErrorMessage(),
                        p.hasCurrentLeader() ? p.getCurrentLeader() : null);
                if (e instanceof NotLeaderException notLeader) {
                    context.metadata().applyLeaderHint(tp, notLeader.leaderHint().orElse(null));
                }
                retryLater(List.of(tp), e, context);
            }
        }
    }

    private void retryLater(List<TopicPartition> partitions, SluiceException error, OperationContext context) {
        RetryPolicy.Decision decision = RetryPolicy.decide(error);
        if (!decision.retry()) {
            future.completeExceptionally(error);
            return;
        }
        lastError = error;
        if (decision.refreshMetadata()) {
            context.metadata().requestUpdate();
        }
        attempts++;
        long at = nowMs + context.backoff().backoffMs(attempts);
        partitions.forEach(tp -> retryAtMs.put(tp, at));
    }

    @Override
    public long nextPollMs() {
        long next = deadlineMs;
        for (TopicPartition tp : remaining.keySet()) {
            if (!inFlight.contains(tp)) {
                next = Math.min(next, retryAtMs.getOrDefault(tp, 0L));
            }
        }
        return future.isDone() ? Long.MAX_VALUE : next;
    }
}
