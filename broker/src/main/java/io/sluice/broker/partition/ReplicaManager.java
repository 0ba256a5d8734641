package io.sluice.broker.partition;

import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.partition.RoleTransitions.Decision;
import io.sluice.broker.replication.AlterPartitionChannel;
import io.sluice.broker.replication.AlterPartitionManager;
import io.sluice.broker.replication.Inbox;
import io.sluice.broker.replication.ReplicaFetchTransport;
import io.sluice.broker.replication.ReplicaFetcherManager;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.Clock;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's replica registry and replication core on one broker: the partitions it hosts
 * (each a {@link Partition} state machine), the metadata it needs to route and refuse requests
 * (topics by name and id, every partition's leader, brokers' endpoints and states), the follower
 * fetchers, the ISR change proposals, and the replica state store.
 *
 * <p>Threading. {@link #applyMetadata}, {@link #poll} and {@link #close} form the core: they must be
 * called from one thread at a time (the data plane's driver thread, or a simulation's loop); answers
 * from the network reach the core through its {@link Inbox}. The lookups ({@link #partitionForClient},
 * {@link #partitionForReplica}, {@link #brokerEndpoint}, ...) are thread-safe and serve the request
 * handlers, which then work on the {@link Partition} directly under its own lock.
 *
 * <p>Metadata application: for each partition record naming this broker a replica, the partition is
 * loaded (log opened, producer state rebuilt, checkpointed high watermark) and its transition
 * decided by {@link RoleTransitions}; new leader epochs are written to the {@link ReplicaStateStore}
 * (one write for the whole delta) before any replica switches; then the replicas switch and the
 * fetchers follow. Replicas no longer assigned here, and partitions of deleted topics, are stopped,
 * closed and deleted.
 */
public final class ReplicaManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);

    private final int localBrokerId;
    private final Clock clock;
    private final ReplicationConfig config;
    private final Services services;
    private final PartitionListener downstream;
    private final Inbox inbox = new Inbox();
    private final ReplicaFetcherManager fetchers;
    private final AlterPartitionManager alterPartitions;
    private final Partition.Context partitionContext;

    private final Map<String, String> topicIdsByName = new ConcurrentHashMap<>();
    private final Map<String, TopicInfo> topics = new ConcurrentHashMap<>();
    private final Map<TopicIdPartition, PartitionRecord> partitionRecords = new ConcurrentHashMap<>();
    private final Map<Integer, BrokerRecord> brokers = new ConcurrentHashMap<>();
    private final Map<TopicIdPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final Set<TopicIdPartition> isrCandidates = ConcurrentHashMap.newKeySet();

    /** Checkpoints loaded at start for replicas that metadata has not named yet (core thread). */
    private final Map<TopicIdPartition, ReplicaCheckpoint> pendingCheckpoints;
    private final Map<TopicIdPartition, Long> isrRetryAtMs = new HashMap<>();
    private Map<TopicIdPartition, ReplicaCheckpoint> lastSaved;
    private volatile long brokerEpoch = -1;
    private volatile boolean closed;
    private long nextIsrScanMs;
    private long nextCheckpointMs;
    private long nextMaintenanceMs;

    /** What the replica manager works with, supplied by the node wiring or a simulation. */
    public record Services(LogFactory logs, ReplicaStateStore stateStore, ReplicaFetchTransport transport,
            AlterPartitionChannel alterPartition) {
    }

    /**
     * @param listener told of partition changes (the delayed-operation machinery), on the thread
     *                 that made them
     */
    public ReplicaManager(int localBrokerId, Clock clock, ReplicationConfig config, Services services,
            PartitionListener listener) {
        this.localBrokerId = localBrokerId;
        this.clock = clock;
        this.config = config;
        this.services = services;
        this.downstream = listener;
        this.fetchers = new ReplicaFetcherManager(localBrokerId, this::brokerEpoch, services.transport(), inbox,
                config.fetcher());
        this.alterPartitions = new AlterPartitionManager(localBrokerId, this::brokerEpoch, services.alterPartition(),
                inbox, config.alterPartitionBackoffMs(), config.alterPartitionTimeoutMs());
        this.partitionContext = new Partition.Context(localBrokerId, clock, config, this::onPartitionChange);
        this.pendingCheckpoints = new HashMap<>(services.stateStore().load());
        this.lastSaved = Map.copyOf(pendingCheckpoints);
    }

    // ---- identity ----

    public int localBrokerId() {
        return localBrokerId;
    }

    public Clock clock() {
        return clock;
    }

    public ReplicationConfig config() {
        return config;
    }

    /** The inbox of the core: post work for the core thread, wake its driver. */
    public Inbox inbox() {
        return inbox;
    }

    /** This broker's epoch from its registration, sent with replica fetches and ISR changes; -1 before. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    public void setBrokerEpoch(long epoch) {
        brokerEpoch = epoch;
    }

    // ---- lookups (any thread) ----

    /**
     * The local replica a client request names by topic name, to be checked for leadership by the
     * caller.
     *
     * @throws PartitionException UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER (with the leader hint) when
     *                            this broker hosts no replica, LEADER_NOT_AVAILABLE, NODE_NOT_READY
     */
    public Partition partitionForClient(String topic, int partition) {
        String topicId = topicIdsByName.get(topic);
        if (topicId == null) {
            throw new PartitionException(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                    "unknown topic '" + topic + "'");
        }
        return localPartition(new TopicIdPartition(topicId, partition), topic);
    }

    /** The local replica a replica fetch names by topic id; errors as {@link #partitionForClient}. */
    public Partition partitionForReplica(TopicIdPartition id) {
        return localPartition(id, id.topicId());
    }

    private Partition localPartition(TopicIdPartition id, String label) {
        if (closed) {
            throw new PartitionException(ErrorCode.ERROR_CODE_NODE_NOT_READY, "broker " + localBrokerId
                    + " is shutting down");
        }
        Partition local = partitions.get(id);
        if (local != null) {
            return local;
        }
        PartitionRecord record = partitionRecords.get(id);
        if (record == null) {
            throw new PartitionException(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "topic " + label
                    + " has no partition " + id.partition());
        }
        if (record.getLeader() < 0) {
            throw new PartitionException(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, "partition " + id.partition()
                    + " of " + label + " has no leader", -1, record.getLeaderEpoch());
        }
        throw new PartitionException(ErrorCode.ERROR_CODE_NOT_LEADER, "broker " + localBrokerId
                + " hosts no replica of partition " + id.partition() + " of " + label, record.getLeader(),
                record.getLeaderEpoch());
    }

    /** A hosted replica, if any. */
    public Optional<Partition> partition(TopicIdPartition id) {
        return Optional.ofNullable(partitions.get(id));
    }

    /** Every hosted replica (a snapshot). */
    public List<Partition> partitions() {
        return List.copyOf(partitions.values());
    }

    /** The id of a topic by name. */
    public Optional<String> topicId(String name) {
        return Optional.ofNullable(topicIdsByName.get(name));
    }

    /** Where a broker serves clients, from its registration. */
    public Optional<Endpoint> brokerEndpoint(int brokerId) {
        BrokerRecord broker = brokers.get(brokerId);
        return broker == null || !broker.hasEndpoint() ? Optional.empty() : Optional.of(broker.getEndpoint());
    }

    /** A broker's registration. */
    public Optional<BrokerRecord> broker(int brokerId) {
        return Optional.ofNullable(brokers.get(brokerId));
    }

    // ---- metadata (core thread) ----

    /** Applies a batch of metadata changes; see the class comment. Ignored once closed. */
    public void applyMetadata(MetadataDelta delta, long nowMs) {
        if (closed) {
            return;
        }
        delta.brokers().forEach(b -> brokers.put(b.getBrokerId(), b));
        delta.removedBrokerIds().forEach(brokers::remove);
        delta.topics().forEach(this::applyTopic);
        Map<TopicIdPartition, String> removals = new LinkedHashMap<>();
        List<Pending> pending = new ArrayList<>();
        // A delta may carry several changes of one partition; the last one is its state.
        Map<TopicIdPartition, PartitionRecord> latest = new LinkedHashMap<>();
        delta.partitions().forEach(r -> latest.put(new TopicIdPartition(r.getTopicId(), r.getPartition()), r));
        for (Map.Entry<TopicIdPartition, PartitionRecord> change : latest.entrySet()) {
            TopicIdPartition id = change.getKey();
            PartitionRecord record = change.getValue();
            partitionRecords.put(id, record);
            if (!isAssignedHere(record)) {
                if (partitions.containsKey(id)) {
                    removals.put(id, "replica moved off broker " + localBrokerId);
                }
                continue;
            }
            Partition partition = loadIfAbsent(id);
            if (partition != null) {
                pending.add(new Pending(partition, record, partition.decide(record)));
            }
        }
        for (String topicId : delta.deletedTopicIds()) {
            deleteTopicMetadata(topicId);
            partitions.keySet().stream().filter(id -> id.topicId().equals(topicId))
                    .forEach(id -> removals.put(id, "topic deleted"));
        }
        if (delta.fullImage()) {
            collectStrays(removals);
        }
        persistEpochs(pending, removals.keySet());
        // Loading replicas and persisting epochs touch the disk and can take seconds on a busy machine;
        // a new leader's followers get their whole lag allowance from when it really became leader.
        long switchedMs = Math.max(nowMs, clock.monotonicMs());
        pending.forEach(p -> applyTransition(p, switchedMs));
        removals.forEach(this::removeReplica);
    }

    private record Pending(Partition partition, PartitionRecord record, Decision decision) {
    }

    private void applyTopic(TopicInfo topic) {
        TopicInfo previous = topics.put(topic.topicId(), topic);
        if (previous != null && !previous.name().equals(topic.name())) {
            topicIdsByName.remove(previous.name(), topic.topicId());
        }
        topicIdsByName.put(topic.name(), topic.topicId());
        if (previous != null && !previous.equals(topic)) {
            for (Partition partition : partitions.values()) {
                if (partition.id().topicId().equals(topic.topicId())) {
                    partition.updateSettings(topic.name(), topic.settings());
                    services.logs().reconfigure(partition.id(), partition.log(), topic.settings().logConfig());
                }
            }
        }
    }

    private void deleteTopicMetadata(String topicId) {
        TopicInfo topic = topics.remove(topicId);
        if (topic != null) {
            topicIdsByName.remove(topic.name(), topicId);
        }
        partitionRecords.keySet().removeIf(id -> id.topicId().equals(topicId));
    }

    private boolean isAssignedHere(PartitionRecord record) {
        return record.getReplicasList().contains(localBrokerId);
    }

    private void collectStrays(Map<TopicIdPartition, String> removals) {
        Set<TopicIdPartition> hosted = new HashSet<>(partitions.keySet());
        hosted.addAll(services.logs().existingLogs());
        for (TopicIdPartition id : hosted) {
            PartitionRecord record = partitionRecords.get(id);
            if (record == null || !isAssignedHere(record)) {
                removals.putIfAbsent(id, "not assigned to broker " + localBrokerId + " in the metadata image");
            }
        }
        pendingCheckpoints.keySet().retainAll(partitions.keySet());
    }

    private Partition loadIfAbsent(TopicIdPartition id) {
        Partition existing = partitions.get(id);
        if (existing != null) {
            return existing;
        }
        TopicInfo topic = topics.get(id.topicId());
        if (topic == null) {
            LOG.error("partition {} names topic {} that the metadata does not have; not loaded", id, id.topicId());
            return null;
        }
        PartitionLog log;
        try {
            log = services.logs().open(id, topic.name(), topic.settings().logConfig());
        } catch (RuntimeException e) {
            LOG.error("cannot open the log of {} ({}): {}", id, topic.name(), e.toString(), e);
            return null;
        }
        Partition partition = new Partition(id, topic.name(), topic.settings(), log, pendingCheckpoints.remove(id),
                partitionContext);
        partitions.put(id, partition);
        LOG.info("loaded replica {} ({}): log [{}, {}), high watermark {}", id, topic.name(),
                partition.logStartOffset(), partition.logEndOffset(), partition.highWatermark());
        return partition;
    }

    private void persistEpochs(List<Pending> pending, Set<TopicIdPartition> removed) {
        boolean newEpoch = pending.stream().anyMatch(p -> p.decision().changesEpoch());
        if (!newEpoch && removed.isEmpty()) {
            return;
        }
        Map<TopicIdPartition, ReplicaCheckpoint> content = currentCheckpoints();
        for (Pending p : pending) {
            if (p.decision().changesEpoch()) {
                ReplicaCheckpoint now = content.get(p.partition().id());
                content.put(p.partition().id(), new ReplicaCheckpoint(Math.max(now.leaderEpoch(),
                        p.record().getLeaderEpoch()), now.highWatermark()));
            }
        }
        content.keySet().removeAll(removed);
        save(content);
        for (Pending p : pending) {
            if (p.decision().changesEpoch()) {
                p.partition().onEpochPersisted(p.record().getLeaderEpoch());
            }
        }
    }

    private void applyTransition(Pending p, long nowMs) {
        Decision decision = p.decision();
        Partition partition = p.partition();
        switch (decision.kind()) {
            case IGNORE:
                return;
            case REFUSE:
                LOG.error("{}: refusing metadata {}: {}", partition.id(), p.record(), decision.reason());
                return;
            default:
                partition.transition(decision, p.record(), nowMs);
        }
        if (partition.role() instanceof FollowerRole follower) {
            fetchers.follow(partition, follower.leaderId());
        } else {
            fetchers.unfollow(partition.id());
        }
        if (partition.role() instanceof LeaderRole) {
            isrCandidates.add(partition.id());
        }
    }

    private void removeReplica(TopicIdPartition id, String reason) {
        fetchers.unfollow(id);
        isrRetryAtMs.remove(id);
        Partition partition = partitions.remove(id);
        try {
            if (partition != null) {
                partition.stop(reason);
                partition.closeForDeletion();
            }
            services.logs().delete(id);
            LOG.info("deleted replica {}: {}", id, reason);
        } catch (RuntimeException e) {
            LOG.error("cannot delete the replica {} ({}): {}", id, reason, e.toString(), e);
        }
    }

    // ---- poll (core thread) ----

    /**
     * Runs the core once: answers from the network, fetchers, ISR proposals, high watermark
     * checkpoints and log maintenance when due.
     *
     * @return the time the core next needs a poll (it also needs one whenever its inbox gets work)
     */
    public long poll(long nowMs) {
        inbox.drain(nowMs);
        if (closed) {
            return Long.MAX_VALUE;
        }
        long next = fetchers.poll(nowMs);
        proposeIsrChanges(nowMs);
        next = Math.min(next, alterPartitions.poll(nowMs));
        if (nowMs >= nextCheckpointMs) {
            checkpointHighWatermarks(false);
            nextCheckpointMs = nowMs + config.checkpointIntervalMs();
        }
        if (nowMs >= nextMaintenanceMs) {
            long wallMs = clock.wallMs();
            partitions.values().forEach(p -> p.maintain(wallMs));
            nextMaintenanceMs = nowMs + config.logMaintenanceIntervalMs();
        }
        for (long retryAt : isrRetryAtMs.values()) {
            next = Math.min(next, retryAt);
        }
        return Math.min(next, Math.min(nextIsrScanMs, Math.min(nextCheckpointMs, nextMaintenanceMs)));
    }

    private void proposeIsrChanges(long nowMs) {
        if (nowMs < nextIsrScanMs && isrCandidates.isEmpty() && isrRetryAtMs.isEmpty()) {
            return;
        }
        Set<TopicIdPartition> due = new HashSet<>();
        if (nowMs >= nextIsrScanMs) {
            due.addAll(partitions.keySet());
            nextIsrScanMs = nowMs + config.isrCheckIntervalMs();
        }
        for (TopicIdPartition id : List.copyOf(isrCandidates)) {
            isrCandidates.remove(id);
            due.add(id);
        }
        isrRetryAtMs.entrySet().removeIf(e -> {
            if (e.getValue() <= nowMs) {
                due.add(e.getKey());
                return true;
            }
            return false;
        });
        for (TopicIdPartition id : sorted(due)) {
            Partition partition = partitions.get(id);
            if (partition == null) {
                continue;
            }
            partition.maybeProposeIsrChange(nowMs, this::isEligibleForIsr).ifPresent(request ->
                    alterPartitions.submit(request, (result, now) -> onIsrChangeResult(partition, request, result,
                            now)));
        }
    }

    private void onIsrChangeResult(Partition partition, PartitionChangeRequest request, PartitionChangeResult result,
            long nowMs) {
        long retryAtMs = partition.onIsrChangeResult(request, result, nowMs);
        if (retryAtMs >= 0 && partitions.get(partition.id()) == partition) {
            isrRetryAtMs.put(partition.id(), retryAtMs);
        }
    }

    private static List<TopicIdPartition> sorted(Set<TopicIdPartition> ids) {
        List<TopicIdPartition> list = new ArrayList<>(ids);
        list.sort((a, b) -> a.topicId().equals(b.topicId()) ? Integer.compare(a.partition(), b.partition())
                : a.topicId().compareTo(b.topicId()));
        return list;
    }

    /** Replicas that may join an ISR: registered, active (not fenced, not shutting down) brokers. */
    private boolean isEligibleForIsr(int brokerId) {
        BrokerRecord broker = brokers.get(brokerId);
        return broker != null && broker.getState() == BrokerState.BROKER_STATE_ACTIVE;
    }

    private void onPartitionChange(TopicIdPartition id, int changes) {
        if (PartitionChanges.any(changes, PartitionChanges.ISR_CANDIDATE)) {
            isrCandidates.add(id);
            inbox.wakeup();
        }
        int forwarded = changes & ~PartitionChanges.ISR_CANDIDATE;
        if (forwarded != 0) {
            downstream.onPartitionChange(id, forwarded);
        }
    }

    // ---- checkpoints ----

    private Map<TopicIdPartition, ReplicaCheckpoint> currentCheckpoints() {
        Map<TopicIdPartition, ReplicaCheckpoint> content = new HashMap<>(pendingCheckpoints);
        partitions.forEach((id, p) -> content.put(id, p.checkpoint()));
        return content;
    }

    /** Writes every replica's high watermark to the store if any changed, and waits until it is durable. */
    public void checkpointHighWatermarks() {
        checkpointHighWatermarks(true);
    }

    /**
     * Hands changed high watermarks to the store; the periodic checkpoint does not wait for the disk
     * ({@link ReplicaStateStore#saveLater}), so that a slow fsync never holds up this thread.
     */
    private void checkpointHighWatermarks(boolean durableBeforeReturning) {
        Map<TopicIdPartition, ReplicaCheckpoint> content = currentCheckpoints();
        if (content.equals(lastSaved)) {
            return;
        }
        if (durableBeforeReturning) {
            save(content);
        } else {
            lastSaved = Map.copyOf(content);
            services.stateStore().saveLater(lastSaved);
        }
    }

    private void save(Map<TopicIdPartition, ReplicaCheckpoint> content) {
        Map<TopicIdPartition, ReplicaCheckpoint> saving = Map.copyOf(content);
        services.stateStore().save(saving);
        lastSaved = saving;
    }

    /**
     * Stops the core: fetchers stop, every replica goes offline (waiting operations are woken and
     * answer), high watermarks are checkpointed, logs closed. Core thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fetchers.clear();
        for (Partition partition : partitions.values()) {
            partition.stop("broker shutting down");
        }
        try {
            checkpointHighWatermarks();
        } catch (RuntimeException e) {
            LOG.error("cannot checkpoint high watermarks on shutdown: {}", e.toString(), e);
        }
        for (Partition partition : partitions.values()) {
            try {
                partition.close();
            } catch (RuntimeException e) {
                LOG.error("cannot close {}: {}", partition.id(), e.toString(), e);
            }
        }
        services.transport().close();
    }

    public boolean isClosed() {
        return closed;
    }
}
