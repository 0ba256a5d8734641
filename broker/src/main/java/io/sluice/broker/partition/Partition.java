package io.sluice.broker.partition;

import io.sluice.broker.log.AppendInfo;
import io.sluice.broker.log.EpochEndOffset;
import io.sluice.broker.log.LogReadResult;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.partition.ProducerStateTable.Duplicate;
import io.sluice.broker.partition.ProducerStateTable.Refuse;
import io.sluice.broker.partition.ProducerStateTable.Verdict;
import io.sluice.broker.partition.RoleTransitions.Decision;
import io.sluice.broker.replication.Divergence;
import io.sluice.broker.replication.FetchOutcome;
import io.sluice.broker.replication.FetchPosition;
import io.sluice.broker.replication.FollowerReplica;
import io.sluice.broker.replication.LeaderReplicaTracker;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.common.Clock;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.ReplicaFetchPartitionResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.OffsetSpec;
import io.sluice.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition replica on this broker: its log, its idempotent-producer state, its high watermark
 * and its {@link ReplicaRole}. The state machine of the partition: every role change goes through
 * {@link #transition}, decided by {@link RoleTransitions}.
 *
 * <p>Leader work (append, follower progress, ISR proposals, DeleteRecords) and follower work
 * (applying fetched batches, truncating on divergence) mutate the state under one monitor, the
 * partition's lock, held only for in-memory work and the log append itself — never while waiting.
 * Reads for fetches take a consistent snapshot of role and high watermark and read the log without
 * the lock (the log allows concurrent readers with one writer). After a change, the
 * {@link PartitionListener} is told outside the lock. Role changes, ISR proposals and follower
 * fetch answers come from the replication core's thread; produce and fetch calls from any thread.
 *
 * <p>Idempotent-producer state is rebuilt from batch headers on load and after every truncation,
 * and followed on every append (leader and follower), so a follower that becomes leader
 * deduplicates exactly as its predecessor did.
 */
public final class Partition implements FollowerReplica {
    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

    private final TopicIdPartition id;
    /** How this replica is named in logs: broker and partition. */
    private final String name;
    private final int localBrokerId;
    private final PartitionLog log;
    private final Clock clock;
    private final ReplicationConfig config;
    private final PartitionListener listener;
    private final ProducerStateTable producers = new ProducerStateTable();
    private final Object lock = new Object();

    private volatile String topicName;
    private volatile TopicSettings settings;
    private volatile ReplicaRole role = OfflineRole.starting();
    private volatile long highWatermark;
    /** The newest epoch persisted in the replica state store; no role may use an older one. */
    private int persistedEpoch;

    /** Where a partition's owner plugs in. */
    public record Context(int localBrokerId, Clock clock, ReplicationConfig config, PartitionListener listener) {
    }

    /**
     * Loads a replica over an open log: rebuilds producer state from the log's batch headers and
     * starts from the checkpointed high watermark (capped at the log end), in the offline role.
     */
    public Partition(TopicIdPartition id, String topicName, TopicSettings settings, PartitionLog log,
            ReplicaCheckpoint checkpoint, Context context) {
        this.id = id;
        this.topicName = topicName;
        this.settings = settings;
        this.log = log;
        this.localBrokerId = context.localBrokerId();
        this.name = "broker " + context.localBrokerId() + " " + id;
        this.clock = context.clock();
        this.config = context.config();
        this.listener = context.listener();
        this.persistedEpoch = checkpoint == null ? -1 : checkpoint.leaderEpoch();
        long checkpointed = checkpoint == null ? 0 : checkpoint.highWatermark();
        this.highWatermark = clampToLog(checkpointed);
        // After a clean stop the table saved then is taken back if it was saved for this very log;
        // else every batch header is read again (1-2 s per GB on the 2-core box, docs/replication.md).
        boolean restored = log.takeStopState()
                .map(state -> producers.restore(state, log.logStartOffset(), log.logEndOffset(), log.latestEpoch()))
                .orElse(false);
        if (!restored) {
            producers.rebuild(log);
        }
    }

    @Override
    public TopicIdPartition id() {
        return id;
    }

    public String topicName() {
        return topicName;
    }

    public TopicSettings settings() {
        return settings;
    }

    public ReplicaRole role() {
        return role;
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    /** The log, for the owner's housekeeping and for tests; never append to it directly. */
    public PartitionLog log() {
        return log;
    }

    /** What the replica state store must hold for this replica now. */
    public ReplicaCheckpoint checkpoint() {
        synchronized (lock) {
            return new ReplicaCheckpoint(Math.max(persistedEpoch, role.leaderEpoch()), highWatermark);
        }
    }

    // ---- role transitions (replication core thread) ----

    /** The decision for a metadata record; nothing changes until {@link #transition}. */
    public Decision decide(PartitionRecord record) {
        synchronized (lock) {
            return RoleTransitions.decide(role, persistedEpoch, localBrokerId, record);
        }
    }

    /** The replica state store now holds {@code epoch} (or newer) for this replica. */
    public void onEpochPersisted(int epoch) {
        synchronized (lock) {
            persistedEpoch = Math.max(persistedEpoch, epoch);
        }
    }

    /**
     * Applies a decision of {@link #decide} for {@code record}. A decision that enters a new epoch
     * requires that epoch to have been persisted first ({@link #onEpochPersisted}).
     */
    public void transition(Decision decision, PartitionRecord record, long nowMs) {
        int changes;
        synchronized (lock) {
            if (decision.changesEpoch() && persistedEpoch < record.getLeaderEpoch()) {
                throw new IllegalStateException(id + ": epoch " + record.getLeaderEpoch()
                        + " must be persisted before the replica enters it (persisted: " + persistedEpoch + ")");
            }
            ReplicaRole before = role;
            changes = switch (decision.kind()) {
                case BECOME_LEADER -> becomeLeader(record, nowMs);
                case BECOME_FOLLOWER -> setRole(new FollowerRole(record.getLeader(), record.getLeaderEpoch(),
                        record.getPartitionEpoch()));
                case BECOME_OFFLINE -> setRole(new OfflineRole(-1, record.getLeaderEpoch(), record.getPartitionEpoch(),
                        "no leader"));
                case UPDATE -> update(record, nowMs);
                case IGNORE, REFUSE -> 0;
                default -> throw new IllegalStateException("unknown transition " + decision.kind());
            };
            if (decision.changesEpoch()) {
                LOG.info("{} ({}): {} -> {} ({})", name, topicName, before, role, decision.reason());
            }
        }
        fire(changes);
    }

    private int becomeLeader(PartitionRecord record, long nowMs) {
        highWatermark = clampToLog(highWatermark);
        LeaderReplicaTracker tracker = newTracker(record, log.logEndOffset(), nowMs);
        LeaderRole leader = new LeaderRole(localBrokerId, record.getLeaderEpoch(), record.getPartitionEpoch(),
                tracker);
        role = leader;
        return PartitionChanges.ROLE | PartitionChanges.ISR | maybeAdvanceHighWatermark(leader);
    }

    private LeaderReplicaTracker newTracker(PartitionRecord record, long epochStartOffset, long nowMs) {
        return new LeaderReplicaTracker(new LeaderReplicaTracker.Settings(localBrokerId, record.getReplicasList(),
                settings.minInsyncReplicas(), config.replicaLagTimeMaxMs()), Set.copyOf(record.getIsrList()),
                log.logEndOffset(), epochStartOffset, highWatermark, nowMs);
    }

    private int setRole(ReplicaRole next) {
        role = next;
        return PartitionChanges.ROLE;
    }

    private int update(PartitionRecord record, long nowMs) {
        ReplicaRole current = role;
        if (current instanceof FollowerRole f) {
            role = new FollowerRole(f.leaderId(), f.leaderEpoch(), record.getPartitionEpoch());
            return 0;
        }
        if (current instanceof OfflineRole o) {
            role = new OfflineRole(o.leaderId(), o.leaderEpoch(), record.getPartitionEpoch(), o.reason());
            return 0;
        }
        LeaderRole leader = (LeaderRole) current;
        if (!leader.tracker().replicas().equals(record.getReplicasList())) {
            // A new replica set: followers start unknown again, the epoch keeps its start offset.
            leader.replaceTracker(newTracker(record, leader.tracker().epochStartOffset(), nowMs));
        } else {
            leader.tracker().onIsrCommitted(Set.copyOf(record.getIsrList()));
        }
        leader.adoptPartitionEpoch(record.getPartitionEpoch());
        return PartitionChanges.ISR | maybeAdvanceHighWatermark(leader);
    }

    /** Topic settings changed (min.insync.replicas may unblock or freeze the high watermark). */
    public void updateSettings(String name, TopicSettings next) {
        int changes = 0;
        synchronized (lock) {
            topicName = name;
            settings = next;
            if (role instanceof LeaderRole leader) {
                LeaderReplicaTracker t = leader.tracker();
                t.reconfigure(new LeaderReplicaTracker.Settings(localBrokerId, t.replicas(), next.minInsyncReplicas(),
                        config.replicaLagTimeMaxMs()));
                changes = PartitionChanges.ISR | maybeAdvanceHighWatermark(leader);
            }
        }
        fire(changes);
    }

    /** Stops serving and fetching (deletion, shutdown). */
    public void stop(String reason) {
        synchronized (lock) {
            ReplicaRole r = role;
            role = new OfflineRole(-1, r.leaderEpoch(), r.partitionEpoch(), reason);
        }
        fire(PartitionChanges.ROLE);
    }

    // ---- leader: produce ----

    /**
     * Appends one produced batch as leader: idempotent-producer check, offsets and epoch stamped by
     * the log, producer state and tracker updated. Header-only work; the log checks the CRC.
     *
     * @param requireMinIsr acks=all: refuse with NOT_ENOUGH_REPLICAS (nothing appended) when the
     *                      ISR is below min.insync.replicas
     * @throws PartitionException for leadership, ISR and producer-sequence refusals
     * @throws io.sluice.broker.log.LogException for batches the log refuses and storage failures
     * @throws io.sluice.record.RecordBatchException when the bytes are not one batch
     */
    public AppendResult appendAsLeader(ByteBuffer batch, boolean requireMinIsr) {
        AppendResult result;
        int changes;
        synchronized (lock) {
            LeaderRole leader = leaderOrThrow(-1);
            if (requireMinIsr && !leader.tracker().hasMinInsyncReplicas()) {
                throw new PartitionException(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS, "the ISR "
                        + leader.tracker().isr() + " of " + id + " is smaller than min.insync.replicas="
                        + settings.minInsyncReplicas());
            }
            RecordBatch header = RecordBatch.wrap(batch);
            long producerId = header.producerId();
            if (producerId >= 0) {
                Verdict verdict = producers.check(producerId, header.producerEpoch(), header.baseSequence(),
                        header.lastSequence());
                if (verdict instanceof Duplicate d) {
                    header.validate(settings.logConfig().maxMessageBytes());
                    return new AppendResult(d.baseOffset(), d.lastOffset(), -1, log.logStartOffset(),
                            leader.leaderEpoch(), true);
                }
                if (verdict instanceof Refuse refuse) {
                    header.validate(settings.logConfig().maxMessageBytes());
                    throw new PartitionException(refuse.errorCode(), refuse.message());
                }
            }
            AppendInfo info = log.appendAsLeader(batch, leader.leaderEpoch(), clock.wallMs());
            producers.onAppend(producerId, header.producerEpoch(), header.baseSequence(), header.lastSequence(),
                    info.firstOffset(), info.lastOffset());
            leader.tracker().onLeaderAppend(log.logEndOffset());
            changes = PartitionChanges.LOG_END | maybeAdvanceHighWatermark(leader);
            result = new AppendResult(info.firstOffset(), info.lastOffset(), info.logAppendTimeMs(),
                    log.logStartOffset(), leader.leaderEpoch(), false);
        }
        fire(changes);
        return result;
    }

    /** Where an acks=all batch appended in {@code appendEpoch} stands. */
    public AckStatus ackStatus(int appendEpoch, long requiredOffset) {
        synchronized (lock) {
            ReplicaRole r = role;
            if (!(r instanceof LeaderRole leader) || leader.leaderEpoch() != appendEpoch) {
                return new AckStatus(AckStatus.State.LEADERSHIP_LOST, r.leaderId(), r.leaderEpoch());
            }
            if (highWatermark >= requiredOffset) {
                return AckStatus.COMMITTED;
            }
            return leader.tracker().hasMinInsyncReplicas() ? AckStatus.WAITING : AckStatus.NOT_ENOUGH_REPLICAS;
        }
    }

    // ---- leader: fetches ----

    /**
     * Reads for a consumer: whole batches from {@code fetchOffset}, never at or above the high
     * watermark. An offset between the high watermark and the log end reads nothing.
     *
     * @throws PartitionException NOT_LEADER / FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH /
     *                            OFFSET_OUT_OF_RANGE
     */
    public FetchedRecords readForConsumer(long fetchOffset, int currentLeaderEpoch, int maxBytes,
            boolean minOneBatch) {
        long hw;
        synchronized (lock) {
            leaderOrThrow(currentLeaderEpoch);
            hw = highWatermark;
        }
        long start = log.logStartOffset();
        long end = log.logEndOffset();
        if (fetchOffset < start || fetchOffset > end) {
            throw new PartitionException(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, "offset " + fetchOffset
                    + " is outside [" + start + ", " + end + "] of " + id);
        }
        if (fetchOffset >= hw) {
            return new FetchedRecords(ByteBuffer.allocate(0), hw, start, end);
        }
        LogReadResult read = log.read(fetchOffset, maxBytes, hw, minOneBatch);
        return new FetchedRecords(read.records(), hw, read.logStartOffset(), read.logEndOffset());
    }

    /** Whether a consumer at {@code fetchOffset} could read something now. */
    public boolean hasVisibleData(long fetchOffset) {
        return highWatermark > fetchOffset;
    }

    /**
     * The leader's side of a follower's fetch: checks the epoch and the follower's log against the
     * leader's; if they match, records the follower's progress (which may advance the high
     * watermark and mark the follower for the ISR).
     *
     * @return the divergence the follower must resolve, or empty if it may read from its offset
     * @throws PartitionException leadership errors, REPLICA_NOT_AVAILABLE for a non-replica,
     *                            OFFSET_OUT_OF_RANGE below the log start
     */
    public Optional<EpochEndOffset> onFollowerFetch(int replicaId, FetchPosition position, long nowMs) {
        Optional<EpochEndOffset> diverging;
        int changes = 0;
        synchronized (lock) {
            LeaderRole leader = leaderOrThrow(position.leaderEpoch());
            LeaderReplicaTracker tracker = leader.tracker();
            if (replicaId == localBrokerId || !tracker.replicas().contains(replicaId)) {
                throw new PartitionException(ErrorCode.ERROR_CODE_REPLICA_NOT_AVAILABLE, "broker " + replicaId
                        + " is not a follower of " + id + " (replicas " + tracker.replicas() + ")");
            }
            diverging = Divergence.check(log, position.lastFetchedEpoch(), position.fetchOffset());
            if (diverging.isEmpty()) {
                if (position.fetchOffset() < log.logStartOffset()) {
                    throw new PartitionException(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, "offset "
                            + position.fetchOffset() + " is below the log start " + log.logStartOffset() + " of " + id);
                }
                long lowBefore = tracker.lowWatermark(log.logStartOffset());
                tracker.onFollowerFetch(replicaId, position.fetchOffset(), position.logStartOffset(), nowMs);
                changes = maybeAdvanceHighWatermark(leader);
                if (tracker.lowWatermark(log.logStartOffset()) != lowBefore) {
                    changes |= PartitionChanges.LOW_WATERMARK;
                }
                if (tracker.isExpansionCandidate(replicaId, nowMs)) {
                    changes |= PartitionChanges.ISR_CANDIDATE;
                }
            }
        }
        fire(changes);
        return diverging;
    }

    /**
     * Reads for a follower: whole batches from {@code fetchOffset} up to the log end, if this
     * broker still leads {@code leaderEpoch}.
     */
    public FetchedRecords readForFollower(long fetchOffset, int leaderEpoch, int maxBytes, boolean minOneBatch) {
        long hw;
        synchronized (lock) {
            leaderOrThrow(leaderEpoch);
            hw = highWatermark;
        }
        LogReadResult read = log.read(fetchOffset, maxBytes, Long.MAX_VALUE, minOneBatch);
        return new FetchedRecords(read.records(), hw, read.logStartOffset(), read.logEndOffset());
    }

    // ---- leader: offsets and records ----

    /** The leader role if this broker leads at {@code currentLeaderEpoch} (-1: any epoch). */
    public LeaderRole leaderForRequest(int currentLeaderEpoch) {
        synchronized (lock) {
            return leaderOrThrow(currentLeaderEpoch);
        }
    }

    /**
     * ListOffsets on the leader. LATEST is the high watermark; a timestamp lookup finds the first
     * record below the high watermark with a timestamp at or after it (the high watermark if none
     * is); MAX_TIMESTAMP scans batch headers below the high watermark. A new leader whose high
     * watermark has not yet reached the start of its epoch answers OFFSET_NOT_AVAILABLE for all but
     * EARLIEST, because its high watermark may still be behind its predecessor's.
     */
    public OffsetLookup listOffset(OffsetSpec spec, long timestampMs, int currentLeaderEpoch) {
        long hw;
        long epochStart;
        synchronized (lock) {
            LeaderRole leader = leaderOrThrow(currentLeaderEpoch);
            hw = highWatermark;
            epochStart = leader.tracker().epochStartOffset();
        }
        if (spec != OffsetSpec.OFFSET_SPEC_EARLIEST && hw < epochStart) {
            throw new PartitionException(ErrorCode.ERROR_CODE_OFFSET_NOT_AVAILABLE, "the new leader of " + id
                    + " has not yet advanced its high watermark " + hw + " to its epoch start " + epochStart);
        }
        return OffsetLookups.lookup(log, spec, timestampMs, hw);
    }

    /**
     * DeleteRecords on the leader: advances the log start to {@code offset} (-1: the high watermark).
     *
     * @return the log start offset after the call
     * @throws PartitionException OFFSET_OUT_OF_RANGE beyond the high watermark, leadership errors
     */
    public long deleteRecordsBefore(long offset) {
        long start;
        synchronized (lock) {
            LeaderRole leader = leaderOrThrow(-1);
            long target = offset == -1 ? highWatermark : offset;
            if (target < 0 || target > highWatermark) {
                throw new PartitionException(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, "cannot delete records of "
                        + id + " below " + target + ": the high watermark is " + highWatermark);
            }
            start = log.deleteRecordsBefore(target);
            producers.expireBelow(start);
            LOG.info("{}: records below {} deleted as leader in epoch {}", name, start, leader.leaderEpoch());
        }
        fire(PartitionChanges.LOW_WATERMARK);
        return start;
    }

    /** The smallest log start over the ISR, if this broker still leads {@code leaderEpoch}. */
    public long lowWatermark(int leaderEpoch) {
        synchronized (lock) {
            LeaderRole leader = leaderOrThrow(leaderEpoch);
            return leader.tracker().lowWatermark(log.logStartOffset());
        }
    }

    // ---- leader: ISR changes (replication core thread) ----

    /**
     * A proposal to send to the controller now: a shrink or expansion the tracker wants, or a
     * change whose outcome was unknown and whose retry time came. Empty if none.
     */
    public Optional<PartitionChangeRequest> maybeProposeIsrChange(long nowMs, IntPredicate eligible) {
        synchronized (lock) {
            if (!(role instanceof LeaderRole leader)) {
                return Optional.empty();
            }
            Optional<PartitionChangeRequest> proposal = leader.maybeProposeIsrChange(id, nowMs, eligible);
            proposal.ifPresent(p -> LOG.info("{}: proposing ISR {} -> {} at partition epoch {}", name,
                    leader.tracker().isr(), p.getNewIsrList(), p.getPartitionEpoch()));
            return proposal;
        }
    }

    /**
     * The controller's answer (or an unknown outcome) for a proposal of {@link #maybeProposeIsrChange}.
     *
     * @return when the proposal should be sent again (its outcome is unknown), or -1
     */
    public long onIsrChangeResult(PartitionChangeRequest sent, PartitionChangeResult result, long nowMs) {
        int changes = 0;
        long retryAtMs = -1;
        synchronized (lock) {
            if (!(role instanceof LeaderRole leader) || leader.leaderEpoch() != sent.getLeaderEpoch()) {
                return -1;
            }
            if (result.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                LOG.info("{}: ISR change to {} answered {} {}", name, sent.getNewIsrList(), result.getErrorCode(),
                        result.getErrorMessage());
            }
            if (result.getErrorCode() == ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH
                    && result.getLeaderEpoch() > leader.leaderEpoch()) {
                stepDown(leader, result);
                changes = PartitionChanges.ROLE;
            } else {
                LeaderRole.IsrOutcome outcome = leader.onIsrChangeResult(sent, result, localBrokerId,
                        nowMs + config.alterPartitionBackoffMs());
                retryAtMs = outcome.retryAtMs();
                if (outcome.isrChanged()) {
                    changes = PartitionChanges.ISR | maybeAdvanceHighWatermark(leader);
                }
            }
        }
        fire(changes);
        return retryAtMs;
    }

    /**
     * The controller says a newer epoch has another leader, and the metadata saying so has not
     * reached this broker yet (it was cut off from the quorum, or its copy is behind). It stops
     * serving as leader now rather than when that metadata arrives, which can be many seconds later
     * (13 s in a chaos run after a partition healed): meanwhile it would answer produce, fetch and
     * ListOffsets as the old epoch's leader, with that epoch's high watermark. Acknowledgements
     * waiting on it end as leadership lost (outcome unknown). Its epoch stays, so the metadata that
     * follows moves it on as usual.
     */
    private void stepDown(LeaderRole leader, PartitionChangeResult result) {
        role = OfflineRole.steppedDown(leader.leaderEpoch(), leader.partitionEpoch(), result.getLeaderId(),
                result.getLeaderEpoch());
        LOG.info("{} ({}): {} -> {}", name, topicName, leader, role);
    }

    // ---- follower (replication core thread) ----

    @Override
    public Optional<FetchPosition> fetchPosition(int leaderId) {
        synchronized (lock) {
            if (!(role instanceof FollowerRole follower) || follower.leaderId() != leaderId) {
                return Optional.empty();
            }
            return Optional.of(new FetchPosition(follower.leaderEpoch(), log.logEndOffset(), log.latestEpoch(),
                    log.logStartOffset()));
        }
    }

    @Override
    public FetchOutcome onFetchResponse(FetchPosition sent, ReplicaFetchPartitionResponse response, long nowMs) {
        synchronized (lock) {
            if (!(role instanceof FollowerRole follower) || follower.leaderEpoch() != sent.leaderEpoch()
                    || log.logEndOffset() != sent.fetchOffset()) {
                return FetchOutcome.IGNORED;
            }
            try {
                return FollowerFetchApplier.apply(this, response);
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot apply the answer of leader {}: {}", name, follower.leaderId(), e.toString());
                return FetchOutcome.BACKOFF;
            }
        }
    }

    /** The producer state, for {@link FollowerFetchApplier} (under the lock). */
    ProducerStateTable producers() {
        return producers;
    }

    /** Sets the high watermark within the log's bounds (follower, under the lock). */
    void setFollowerHighWatermark(long offset) {
        highWatermark = clampToLog(offset);
    }

    /** Logs a follower truncation. */
    void logTruncation(long offset) {
        LOG.info("{}: truncated to {} (log now [{}, {}), epoch {})", name, offset, log.logStartOffset(),
                log.logEndOffset(), log.latestEpoch());
    }

    // ---- housekeeping ----

    /** Retention and flush interval; called now and then by the owner. */
    public void maintain(long nowWallMs) {
        synchronized (lock) {
            if (log.maintain(nowWallMs, highWatermark) > 0) {
                producers.expireBelow(log.logStartOffset());
            }
        }
    }

    /**
     * Stops the replica, flushes its log, saves its producer state beside the log and closes the log.
     * The flush comes first so that the saved table never describes batches that a power loss could
     * still take away (a recovery that kept the same end offset with other batches would otherwise
     * match it).
     */
    public void close() {
        close(true);
    }

    /** Stops the replica and closes its log without saving producer state: the log is about to go. */
    public void closeForDeletion() {
        close(false);
    }

    private void close(boolean saveProducerState) {
        stop("closed");
        synchronized (lock) {
            try {
                if (saveProducerState) {
                    log.flush();
                    log.saveStopState(
                            producers.snapshot(log.logStartOffset(), log.logEndOffset(), log.latestEpoch()));
                }
            } finally {
                log.close();
            }
        }
    }

    // ---- internals ----

    private LeaderRole leaderOrThrow(int requestEpoch) {
        return ReplicaRole.requireLeader(role, requestEpoch, id, localBrokerId);
    }

    private int maybeAdvanceHighWatermark(LeaderRole leader) {
        if (leader.tracker().maybeAdvanceHighWatermark()) {
            highWatermark = leader.tracker().highWatermark();
            return PartitionChanges.HIGH_WATERMARK;
        }
        return 0;
    }

    private long clampToLog(long offset) {
        return Math.max(log.logStartOffset(), Math.min(offset, log.logEndOffset()));
    }

    private void fire(int changes) {
        if (changes != 0) {
            listener.onPartitionChange(id, changes);
        }
    }

    @Override
    public String toString() {
        return "Partition[" + id + " " + topicName + ", " + role + ", hw=" + highWatermark + ", log=["
                + log.logStartOffset() + ", " + log.logEndOffset() + ")]";
    }
}
