package io.sluice.client.internal;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.NotLeaderException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.errors.UnknownTopicOrPartitionException;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.network.HostPort;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.LeaderHint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A per-partition request that must reach each partition's leader ({@code ListOffsets},
 * {@code DeleteRecords}): one request per leader, partitions that met a leadership error retried
 * after a metadata refresh (or at the hinted leader) until the deadline. A topic the metadata
 * reports as unknown, or a partition index it lacks, fails the operation at once, as does any
 * non-retriable partition error. What the request and answer look like is the {@link Codec}'s
 * business. Not thread-safe.
 *
 * @param <Q> request type
 * @param <R> answer type
 * @param <V> per-partition result type
 */
public final class LeaderRoutedOperation<Q extends Message, R extends Message, V> implements Operation {
    /** One partition's answer: a value, or an error with the broker's leader hint (may be null). */
    public record PartitionOutcome<V>(V value, ErrorCode error, String message, LeaderHint hint) {
        /** A success. */
        public static <V> PartitionOutcome<V> of(V value) {
            return new PartitionOutcome<>(value, ErrorCode.ERROR_CODE_NONE, "", null);
        }
    }

    /** How to ask and how to read the answer. */
    public interface Codec<Q, R, V> {
        /** For messages, e.g. "offsets". */
        String description();

        /** The rpc. */
        MethodDescriptor<Q, R> method();

        /** The request for {@code partitions}, all led by one broker. */
        Q request(List<TopicPartition> partitions, Cluster cluster);

        /** Per-partition outcomes of an answer. */
        Map<TopicPartition, PartitionOutcome<V>> parse(R response);
    }

    private final Codec<Q, R, V> codec;
    private final Set<TopicPartition> remaining;
    private final Map<TopicPartition, V> results = new LinkedHashMap<>();
    private final Set<TopicPartition> inFlight = new HashSet<>();
    private final Map<TopicPartition, Long> retryAtMs = new HashMap<>();
    private final long deadlineMs;
    private final CompletableFuture<Map<TopicPartition, V>> future = new CompletableFuture<>();
    private int attempts;
    private long nowMs;
    private SluiceException lastError;

    public LeaderRoutedOperation(Collection<TopicPartition> partitions, Codec<Q, R, V> codec, long deadlineMs) {
        this.remaining = new LinkedHashSet<>(partitions);
        this.codec = codec;
        this.deadlineMs = deadlineMs;
    }

    /** Completes with one result per partition, or the first failure. */
    public CompletableFuture<Map<TopicPartition, V>> future() {
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
            future.completeExceptionally(new SluiceTimeoutException(codec.description() + " of " + remaining
                    + " not found in time" + (lastError == null ? "" : "; last error: " + lastError.getMessage())));
            return true;
        }
        Set<String> topics = new HashSet<>();
        remaining.forEach(tp -> topics.add(tp.topic()));
        context.metadata().addTopics(topics);
        Cluster cluster = context.metadata().cluster();
        Map<HostPort, List<TopicPartition>> byLeader = new LinkedHashMap<>();
        for (TopicPartition tp : remaining) {
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

    private void send(HostPort node, List<TopicPartition> partitions, Cluster cluster, OperationContext context) {
        inFlight.addAll(partitions);
        context.network().send(node, codec.method(), codec.request(partitions, cluster), nowMs,
                context.requestTimeoutMs(), (response, error) -> handle(partitions, response, error, context));
    }

    private void handle(List<TopicPartition> partitions, R response, SluiceException error, OperationContext context) {
        partitions.forEach(inFlight::remove);
        if (error != null) {
            retryLater(partitions, error, context);
            return;
        }
        Map<TopicPartition, PartitionOutcome<V>> outcomes = codec.parse(response);
        for (TopicPartition tp : partitions) {
            PartitionOutcome<V> o = outcomes.get(tp);
            if (o == null) {
                retryLater(List.of(tp), Errors.toException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR,
                        "the answer did not mention " + tp), context);
            } else if (o.error() == ErrorCode.ERROR_CODE_NONE) {
                remaining.remove(tp);
                results.put(tp, o.value());
            } else {
                SluiceException e = Errors.toException(o.error(), tp + ": " + o.message(), o.hint());
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
    public void abort(SluiceException error) {
        future.completeExceptionally(error);
    }

    @Override
    public long nextPollMs() {
        long next = deadlineMs;
        for (TopicPartition tp : remaining) {
            if (!inFlight.contains(tp)) {
                next = Math.min(next, retryAtMs.getOrDefault(tp, 0L));
            }
        }
        return future.isDone() ? Long.MAX_VALUE : next;
    }
}
