package io.sluice.broker.replication;

import io.sluice.proto.internal.v1.ReplicaFetchPartition;
import io.sluice.proto.internal.v1.ReplicaFetchPartitionResponse;
import io.sluice.proto.internal.v1.ReplicaFetchRequest;
import io.sluice.proto.internal.v1.ReplicaFetchResponse;
import io.sluice.proto.v1.ErrorCode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side of replication towards one leader broker: keeps one replica fetch in flight for
 * every partition this broker follows there, and hands each partition's answer to its
 * {@link FollowerReplica}.
 *
 * <p>States per fetcher: idle, in flight (one request, abandoned after
 * {@code maxWaitMs + requestTimeoutMs}), backing off after a failed request. Per partition: ready,
 * or backing off until a time after an error for it. A partition's position is read at send time,
 * so a truncation or an append applied in between is always reflected in the next request.
 *
 * <p>After a leader change the new leader's followers often learn of it before the leader does
 * (each broker applies the metadata change on its own), and the leader answers their first fetch
 * UNKNOWN_LEADER_EPOCH. Waiting the whole fetch backoff (Kafka's 1 s) then would hold every
 * acks=all write on the new leader for that second, so such a partition asks again after
 * {@value #LEADER_BEHIND_FIRST_RETRY_MS} ms, doubling while the answer repeats, up to the backoff.
 *
 * <p>Single-threaded and poll-driven: {@link #poll} and the answers (run through the {@link Inbox})
 * execute on the replication core's thread; the transport's callback only posts to the inbox.
 */
public final class ReplicaFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    /** The first retry after the leader answered that it does not know the follower's epoch yet. */
    static final long LEADER_BEHIND_FIRST_RETRY_MS = 20;

    private final int localBrokerId;
    private final int leaderId;
    private final LongSupplier brokerEpoch;
    private final ReplicaFetchTransport transport;
    private final Inbox inbox;
    private final FetcherConfig config;
    private final Map<TopicIdPartition, Slot> partitions = new LinkedHashMap<>();

    private long requestSequence;
    private InFlight inFlight;
    private long backoffUntilMs;

    private static final class Slot {
        private final FollowerReplica replica;
        private long retryAtMs;
        /** Consecutive LEADER_BEHIND answers. */
        private int leaderBehind;

        Slot(FollowerReplica replica) {
            this.replica = replica;
        }
    }

    private record InFlight(long sequence, long deadlineMs, Map<TopicIdPartition, Sent> sent) {
    }

    private record Sent(FollowerReplica replica, FetchPosition position) {
    }

    /** A fetcher towards broker {@code leaderId}; {@code brokerEpoch} is this broker's current one. */
    public ReplicaFetcher(int localBrokerId, int leaderId, LongSupplier brokerEpoch, ReplicaFetchTransport transport,
            Inbox inbox, FetcherConfig config) {
        this.localBrokerId = localBrokerId;
        this.leaderId = leaderId;
        this.brokerEpoch = brokerEpoch;
        this.transport = transport;
        this.inbox = inbox;
        this.config = config;
    }

    public int leaderId() {
        return leaderId;
    }

    /** Starts fetching {@code replica} (replacing an older registration of the same partition). */
    public void addPartition(FollowerReplica replica) {
        partitions.put(replica.id(), new Slot(replica));
    }

    /** Stops fetching a partition; an answer already on its way for it is dropped. */
    public void removePartition(TopicIdPartition id) {
        partitions.remove(id);
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    public int partitionCount() {
        return partitions.size();
    }

    /**
     * Sends a fetch if none is in flight and something is ready, and abandons one that outlived its
     * deadline.
     *
     * @return the time this fetcher next needs a poll, or {@code Long.MAX_VALUE} if only an answer
     *         can move it
     */
    public long poll(long nowMs) {
        if (inFlight != null && nowMs >= inFlight.deadlineMs()) {
            LOG.debug("replica fetch {} to broker {} got no answer in time; sending again", inFlight.sequence(),
                    leaderId);
            inFlight = null;
            backoffUntilMs = nowMs + config.backoffMs();
        }
        if (inFlight == null && nowMs >= backoffUntilMs) {
            maybeSend(nowMs);
        }
        if (inFlight != null) {
            return inFlight.deadlineMs();
        }
        long next = Long.MAX_VALUE;
        for (Slot slot : partitions.values()) {
            next = Math.min(next, Math.max(slot.retryAtMs, backoffUntilMs));
        }
        return next;
    }

    private void maybeSend(long nowMs) {
        ReplicaFetchRequest.Builder request = ReplicaFetchRequest.newBuilder()
                .setReplicaId(localBrokerId)
                .setBrokerEpoch(brokerEpoch.getAsLong())
                .setMaxWaitMs(config.maxWaitMs())
                .setMinBytes(config.minBytes())
                .setMaxBytes(config.maxBytes());
        Map<TopicIdPartition, Sent> sent = new HashMap<>();
        for (Slot slot : partitions.values()) {
            if (slot.retryAtMs > nowMs) {
                continue;
            }
            slot.replica.fetchPosition(leaderId).ifPresent(position -> {
                TopicIdPartition id = slot.replica.id();
                request.addPartitions(ReplicaFetchPartition.newBuilder()
                        .setTopicId(id.topicId())
                        .setPartition(id.partition())
                        .setCurrentLeaderEpoch(position.leaderEpoch())
                        .setFetchOffset(position.fetchOffset())
                        .setLastFetchedEpoch(position.lastFetchedEpoch())
                        .setLogStartOffset(position.logStartOffset())
                        .setPartitionMaxBytes(config.partitionMaxBytes()));
                sent.put(id, new Sent(slot.replica, position));
            });
        }
        if (sent.isEmpty()) {
            return;
        }
        long sequence = ++requestSequence;
        long timeoutMs = config.maxWaitMs() + config.requestTimeoutMs();
        inFlight = new InFlight(sequence, nowMs + timeoutMs, sent);
        transport.send(leaderId, request.build(), timeoutMs, new ReplicaFetchTransport.Callback() {
            @Override
            public void onResponse(ReplicaFetchResponse response) {
                inbox.post(now -> handleResponse(sequence, response, now));
            }

            @Override
            public void onFailure(Throwable error) {
                inbox.post(now -> handleFailure(sequence, error, now));
            }
        });
    }

    private void handleFailure(long sequence, Throwable error, long nowMs) {
        if (inFlight == null || inFlight.sequence() != sequence) {
            return;
        }
        LOG.debug("replica fetch to broker {} failed: {}", leaderId, error.toString());
        inFlight = null;
        backoffUntilMs = nowMs + config.backoffMs();
    }

    private void handleResponse(long sequence, ReplicaFetchResponse response, long nowMs) {
        if (inFlight == null || inFlight.sequence() != sequence) {
            return;
        }
        Map<TopicIdPartition, Sent> sent = inFlight.sent();
        inFlight = null;
        if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            LOG.debug("broker {} refused the replica fetch: {} {}", leaderId, response.getErrorCode(),
                    response.getErrorMessage());
            backoffUntilMs = nowMs + config.backoffMs();
            return;
        }
        for (ReplicaFetchPartitionResponse answer : response.getPartitionsList()) {
            TopicIdPartition id = new TopicIdPartition(answer.getTopicId(), answer.getPartition());
            Sent request = sent.get(id);
            Slot slot = partitions.get(id);
            if (request == null || slot == null || slot.replica != request.replica()) {
                continue;
            }
            FetchOutcome outcome = slot.replica.onFetchResponse(request.position(), answer, nowMs);
            slot.leaderBehind = outcome == FetchOutcome.LEADER_BEHIND ? slot.leaderBehind + 1 : 0;
            if (outcome == FetchOutcome.BACKOFF) {
                slot.retryAtMs = nowMs + config.backoffMs();
            } else if (outcome == FetchOutcome.LEADER_BEHIND) {
                slot.retryAtMs = nowMs + Math.min(config.backoffMs(),
                        LEADER_BEHIND_FIRST_RETRY_MS << Math.min(slot.leaderBehind - 1, 16));
            }
        }
        maybeSend(nowMs);
    }
}
