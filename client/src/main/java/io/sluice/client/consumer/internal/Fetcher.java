package io.sluice.client.consumer.internal;

import io.grpc.MethodDescriptor;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.OffsetResetStrategy;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.NotLeaderException;
import io.sluice.client.errors.OffsetOutOfRangeException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.RetryPolicy;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.proto.v1.ConsumerServiceGrpc;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartition;
import io.sluice.proto.v1.FetchPartitionResponse;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.FetchTopic;
import io.sluice.proto.v1.FetchTopicResponse;
import io.sluice.protocol.AliasingParser;
import io.sluice.record.RecordBatchException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches records of the fetchable partitions from their leaders: at most one {@code Fetch} in
 * flight per leader broker (a long poll of up to {@code fetch.max.wait.ms}), a new one sent as soon
 * as the last one answered for every partition whose data has been handed out; a fetch whose
 * partitions are all at their high watermark waits until no record of that broker is left to hand
 * out (see {@link #poll}). Answers become
 * {@link CompletedFetch}es in a buffer that {@link #collect} hands to {@code poll}, advancing
 * positions. Data for a partition whose position changed, or that was paused or revoked while the
 * fetch was out, is dropped. Per-partition errors: leadership errors refresh metadata (or use the
 * leader hint) and retry; {@code OFFSET_OUT_OF_RANGE} resets the position by
 * {@code auto.offset.reset}, or with {@code none} becomes an error thrown by {@code poll}; other
 * errors are thrown by {@code poll} until the application seeks. Not thread-safe.
 */
public final class Fetcher {
    /** Fetch answers parsed with their record batches left in the received array, not copied out of it. */
    private static final MethodDescriptor<FetchRequest, FetchResponse> FETCH =
            AliasingParser.forResponses(ConsumerServiceGrpc.getFetchMethod());

    private final FetchSettings settings;
    private final SubscriptionState subscriptions;
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

    private final MetadataManager metadata;
    private final NetworkClient network;
    private final Backoff backoff;
    private final boolean resetOnOutOfRange;
    private final ArrayDeque<CompletedFetch> buffer = new ArrayDeque<>();
    private final Set<HostPort> inFlight = new HashSet<>();
    private final Map<HostPort, Integer> failures = new HashMap<>();
    private final Map<HostPort, Long> retryAtMs = new HashMap<>();
    private long nowMs;
    private boolean freedPartitions;

    public Fetcher(FetchSettings settings, SubscriptionState subscriptions, MetadataManager metadata,
            NetworkClient network, Backoff backoff, OffsetResetStrategy defaultReset) {
        this.settings = settings;
        this.subscriptions = subscriptions;
        this.metadata = metadata;
        this.network = network;
        this.backoff = backoff;
        this.resetOnOutOfRange = defaultReset != OffsetResetStrategy.NONE;
    }

    /** Sends a fetch to every leader that has fetchable partitions and none in flight. */
    public void poll(long now) {
        this.nowMs = now;
        Cluster cluster = metadata.cluster();
        Set<TopicPartition> buffered = new HashSet<>();
        Set<HostPort> holding = new HashSet<>();
        for (CompletedFetch f : buffer) {
            buffered.add(f.topicPartition);
            if (subscriptions.isFetchable(f.topicPartition)) {
                cluster.leader(f.topicPartition).ifPresent(leader -> holding.add(leader.address()));
            }
        }
        Map<HostPort, List<TopicPartition>> byLeader = new LinkedHashMap<>();
        for (TopicPartition tp : subscriptions.assigned()) {
            if (!subscriptions.isFetchable(tp) || buffered.contains(tp) || subscriptions.state(tp).retryAtMs > now) {
                continue;
            }
            var leader = cluster.leader(tp);
            if (leader.isEmpty()) {
                LOG.debug("no leader known for {}; asking for metadata", tp);
                metadata.requestUpdate();
                continue;
            }
            byLeader.computeIfAbsent(leader.get().address(), k -> new ArrayList<>()).add(tp);
        }
        byLeader.forEach((node, partitions) -> {
            if (!inFlight.contains(node) && retryAtMs.getOrDefault(node, 0L) <= now
                    && !(holding.contains(node) && allCaughtUp(partitions))) {
                send(node, partitions, cluster);
            }
        });
    }

    /**
     * Whether every partition is at the high watermark its last answer gave, so that a fetch of
     * them would wait {@code fetch.max.wait.ms} on the broker. Such a long poll is held back while
     * records of the same broker wait to be handed out: it would keep the one fetch per broker busy,
     * and the partition being drained could not be fetched again until the wait ended. Once those
     * records are handed out, one fetch covers them all.
     */
    private boolean allCaughtUp(List<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            SubscriptionState.PartitionState state = subscriptions.state(tp);
            if (state.highWatermark < 0 || state.position < state.highWatermark) {
                return false;
            }
        }
        return true;
    }

    private void send(HostPort node, List<TopicPartition> partitions, Cluster cluster) {
        Map<String, FetchTopic.Builder> topics = new LinkedHashMap<>();
        Map<TopicPartition, long[]> requested = new HashMap<>();
        for (TopicPartition tp : partitions) {
            SubscriptionState.PartitionState state = subscriptions.state(tp);
            int epoch = cluster.partition(tp).map(Cluster.Partition::leaderEpoch).orElse(-1);
            topics.computeIfAbsent(tp.topic(), t -> FetchTopic.newBuilder().setTopic(t))
                    .addPartitions(FetchPartition.newBuilder().setPartition(tp.partition())
                            .setFetchOffset(state.position).setPartitionMaxBytes(settings.partitionMaxBytes())
                            .setCurrentLeaderEpoch(epoch));
            requested.put(tp, new long[] {state.position, state.positionVersion});
        }
        FetchRequest.Builder request = FetchRequest.newBuilder().setMaxWaitMs(settings.maxWaitMs())
                .setMinBytes(settings.minBytes()).setMaxBytes(settings.maxBytes())
                .setIsolationLevel(settings.isolationLevel()).setClientId(settings.clientId());
        topics.values().forEach(request::addTopics);
        inFlight.add(node);
        network.send(node, FETCH, request.build(), nowMs,
                (long) settings.requestTimeoutMs() + settings.maxWaitMs(),
                (response, error) -> handleResponse(node, requested, response, error));
    }

    private void handleResponse(HostPort node, Map<TopicPartition, long[]> requested, FetchResponse response,
            SluiceException error) {
        inFlight.remove(node);
        SluiceException failure = error;
        if (failure == null && response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            failure = Errors.toException(response.getErrorCode(), response.getErrorMessage());
        }
        if (failure != null) {
            int n = failures.merge(node, 1, Integer::sum);
            LOG.debug("fetch of {} from {} failed ({} in a row): {}", requested.keySet(), node, n, failure.toString());
            retryAtMs.put(node, nowMs + backoff.backoffMs(n));
            if (RetryPolicy.decide(failure).refreshMetadata()) {
                metadata.requestUpdate();
            }
            return;
        }
        failures.remove(node);
        for (FetchTopicResponse t : response.getTopicsList()) {
            for (FetchPartitionResponse p : t.getPartitionsList()) {
                TopicPartition tp = new TopicPartition(t.getTopic(), p.getPartition());
                long[] asked = requested.get(tp);
                if (asked != null) {
                    handlePartition(tp, asked[0], asked[1], p);
                }
            }
        }
    }

    private void handlePartition(TopicPartition tp, long fetchOffset, long positionVersion,
            FetchPartitionResponse p) {
        SubscriptionState.PartitionState state = subscriptions.state(tp);
        if (state == null) {
            return;
        }
        boolean current = subscriptions.isFetchable(tp) && state.positionVersion == positionVersion
                && state.position == fetchOffset;
        if (p.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
            subscriptions.updateBounds(tp, p.getHighWatermark(), p.getLogStartOffset());
            if (current && !p.getRecords().isEmpty()) {
                buffer.addLast(new CompletedFetch(tp, fetchOffset, positionVersion,
                        p.getRecords().asReadOnlyByteBuffer(), settings.checkCrcs()));
            }
            return;
        }
        if (!current) {
            return;
        }
        SluiceException e = Errors.toException(p.getErrorCode(), p.getErrorMessage(),
                p.hasCurrentLeader() ? p.getCurrentLeader() : null);
        LOG.debug("fetch of {} at {} answered {}: {}", tp, fetchOffset, p.getErrorCode(), p.getErrorMessage());
        if (p.getErrorCode() == ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE) {
            if (resetOnOutOfRange) {
                subscriptions.requestReset(tp, null);
            } else {
                subscriptions.setError(tp, new OffsetOutOfRangeException("offset " + fetchOffset + " of " + tp
                        + " is out of range and auto.offset.reset is none", Map.of(tp.toString(), fetchOffset)));
            }
            return;
        }
        RetryPolicy.Decision decision = RetryPolicy.decide(e);
        if (!decision.retry()) {
            subscriptions.setError(tp, e);
            return;
        }
        if (e instanceof NotLeaderException notLeader) {
            metadata.applyLeaderHint(tp, notLeader.leaderHint().orElse(null));
        } else if (decision.refreshMetadata()) {
            metadata.requestUpdate();
        }
        state.retryAtMs = nowMs + backoff.initialMs();
    }

    /**
     * Hands out up to {@code maxRecords} buffered records at the partitions' positions, advancing
     * the positions. A batch that does not decode becomes the partition's error.
     */
    public List<FetchedRecord> collect(int maxRecords) {
        List<FetchedRecord> out = new ArrayList<>();
        int buffered = buffer.size();
        Iterator<CompletedFetch> it = buffer.iterator();
        while (it.hasNext() && out.size() < maxRecords) {
            CompletedFetch f = it.next();
            SubscriptionState.PartitionState state = subscriptions.state(f.topicPartition);
            if (state == null || !subscriptions.isFetchable(f.topicPartition)
                    || state.positionVersion != f.positionVersion || state.position != f.nextOffset()) {
                it.remove();
                continue;
            }
            int before = out.size();
            try {
                f.drain(maxRecords - out.size(), out);
            } catch (RecordBatchException e) {
                // Records decoded before the bad batch are handed out again once the application
                // has seeked past it; none is returned twice.
                out.subList(before, out.size()).clear();
                subscriptions.setError(f.topicPartition, new SluiceException(e.errorCode(), e.getMessage(), e));
                it.remove();
                continue;
            }
            subscriptions.advance(f.topicPartition, f.nextOffset(), f.lastEpoch());
            if (f.isExhausted()) {
                it.remove();
            }
        }
        freedPartitions |= buffer.size() < buffered;
        return out;
    }

    /**
     * When the earliest broker whose last fetch failed may be fetched from again (after {@code now}),
     * or {@code Long.MAX_VALUE}: the background thread must run a round then, since no answer will
     * bring one.
     */
    public long nextRetryMs(long now) {
        long next = Long.MAX_VALUE;
        for (long at : retryAtMs.values()) {
            if (at > now) {
                next = Math.min(next, at);
            }
        }
        return next;
    }

    /**
     * Whether {@link #collect} removed a buffered answer (handed out, stale or undecodable) since the
     * last call, so that its partition may be fetched again at the next {@link #poll}; clears it.
     */
    public boolean takeFreedPartitions() {
        boolean freed = freedPartitions;
        freedPartitions = false;
        return freed;
    }

    /** Drops buffered data of partitions that are no longer fetchable (paused, revoked, moved). */
    public void dropUnfetchable() {
        buffer.removeIf(f -> !subscriptions.isFetchable(f.topicPartition));
    }
}
