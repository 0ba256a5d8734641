package io.sluice.client.consumer.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.ConsumerRebalanceListener;
import io.sluice.client.consumer.OffsetAndMetadata;
import io.sluice.client.consumer.OffsetResetStrategy;
import io.sluice.client.errors.SluiceException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the consumer reads and where it stands: the subscription (topics, listener) or the manual
 * assignment, and for each assigned partition its position (the next offset {@code poll} returns),
 * its fetch state, whether it is paused or being revoked, the high watermark and log start of the
 * last fetch answer (for lag), and an error to surface.
 *
 * <p>Fetch states: {@code INITIALIZING} (look up the committed offset), {@code AWAIT_RESET} (look
 * up an offset by the reset strategy), {@code FETCHING} (position known). A seek moves to
 * {@code FETCHING}; a seek to beginning or end, an out-of-range answer, or a missing commit moves
 * to {@code AWAIT_RESET}.
 *
 * <p>Not thread-safe: owned by the consumer core, used under its lock.
 */
public final class SubscriptionState {
    /** How partitions are chosen. */
    public enum Mode { NONE, MANUAL, GROUP }

    /** Where a partition's position comes from next. */
    public enum FetchState { INITIALIZING, AWAIT_RESET, FETCHING }

    /** One assigned partition. */
    public static final class PartitionState {
        FetchState fetchState = FetchState.INITIALIZING;
        OffsetResetStrategy resetStrategy;
        long position = -1;
        int positionLeaderEpoch = -1;
        long highWatermark = -1;
        long logStartOffset = -1;
        boolean paused;
        boolean pendingRevocation;
        long retryAtMs;
        SluiceException error;
        /**
         * A new value on every seek or reset, unique across this consumer's partition states (a
         * partition unassigned and assigned again gets a fresh state), so an answer computed for an
         * older position, or for an earlier assignment of the partition, can be dropped.
         */
        long positionVersion;

        public FetchState fetchState() {
            return fetchState;
        }

        public long position() {
            return position;
        }
    }

    private final OffsetResetStrategy defaultReset;
    private Mode mode = Mode.NONE;
    private Set<String> topics = Set.of();
    private ConsumerRebalanceListener listener;
    private final Map<TopicPartition, PartitionState> assignment = new LinkedHashMap<>();
    private long lastPositionVersion;

    public SubscriptionState(OffsetResetStrategy defaultReset) {
        this.defaultReset = defaultReset;
    }

    public Mode mode() {
        return mode;
    }

    /** Replaces the assignment with {@code partitions} (manual mode); kept partitions keep their state. */
    public void assignFromUser(Collection<TopicPartition> partitions) {
        if (mode == Mode.GROUP) {
            throw new IllegalStateException("subscribe() and assign() cannot be mixed; unsubscribe() first");
        }
        mode = partitions.isEmpty() ? Mode.NONE : Mode.MANUAL;
        assignment.keySet().retainAll(Set.copyOf(partitions));
        for (TopicPartition tp : partitions) {
            assignment.computeIfAbsent(tp, k -> newState());
        }
    }

    /** Subscribes to {@code topicNames} (group mode). */
    public void subscribe(Collection<String> topicNames, ConsumerRebalanceListener rebalanceListener) {
        if (mode == Mode.MANUAL) {
            throw new IllegalStateException("subscribe() and assign() cannot be mixed; unsubscribe() first");
        }
        for (String t : topicNames) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("topic names must not be empty");
            }
        }
        mode = topicNames.isEmpty() ? Mode.NONE : Mode.GROUP;
        topics = Set.copyOf(new TreeSet<>(topicNames));
        listener = rebalanceListener;
    }

    /** Drops the subscription and every partition. */
    public void unsubscribe() {
        mode = Mode.NONE;
        topics = Set.of();
        listener = null;
        assignment.clear();
    }

    public Set<String> topics() {
        return topics;
    }

    public ConsumerRebalanceListener listener() {
        return listener;
    }

    /** The assigned partitions, in assignment order. */
    public Set<TopicPartition> assigned() {
        return new LinkedHashSet<>(assignment.keySet());
    }

    /** The partition's state, or null if not assigned. */
    public PartitionState state(TopicPartition tp) {
        return assignment.get(tp);
    }

    public boolean isAssigned(TopicPartition tp) {
        return assignment.containsKey(tp);
    }

    /** Adds partitions the group gave (starting in {@code INITIALIZING}). */
    public void addAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            assignment.computeIfAbsent(tp, k -> newState());
        }
    }

    /** Removes partitions the group took away. */
    public void removeAssigned(Collection<TopicPartition> partitions) {
        assignment.keySet().removeAll(Set.copyOf(partitions));
    }

    /** Stops fetching and returning these partitions' records while they are being revoked. */
    public void markPendingRevocation(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionState s = assignment.get(tp);
            if (s != null) {
                s.pendingRevocation = true;
            }
        }
    }

    /** Whether records of {@code tp} may be fetched and returned now. */
    public boolean isFetchable(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        return s != null && s.fetchState == FetchState.FETCHING && !s.paused && !s.pendingRevocation
                && s.error == null;
    }

    private PartitionState newState() {
        PartitionState state = new PartitionState();
        state.positionVersion = ++lastPositionVersion;
        return state;
    }

    /** Sets the position (a user seek, a committed offset, a reset answer). */
    public void seek(TopicPartition tp, long offset, int leaderEpoch) {
        PartitionState s = requireAssigned(tp);
        s.position = offset;
        s.positionLeaderEpoch = leaderEpoch;
        s.fetchState = FetchState.FETCHING;
        s.resetStrategy = null;
        s.error = null;
        s.positionVersion = ++lastPositionVersion;
    }

    /** Asks for the position to be looked up by {@code strategy} (null: the configured default). */
    public void requestReset(TopicPartition tp, OffsetResetStrategy strategy) {
        PartitionState s = requireAssigned(tp);
        s.fetchState = FetchState.AWAIT_RESET;
        s.resetStrategy = strategy == null ? defaultReset : strategy;
        s.error = null;
        s.retryAtMs = 0;
        s.positionVersion = ++lastPositionVersion;
    }

    /** Advances the position after records were returned (or skipped). */
    public void advance(TopicPartition tp, long nextOffset, int leaderEpoch) {
        PartitionState s = requireAssigned(tp);
        s.position = nextOffset;
        if (leaderEpoch >= 0) {
            s.positionLeaderEpoch = leaderEpoch;
        }
    }

    /** Records the bounds the last fetch answer reported. */
    public void updateBounds(TopicPartition tp, long highWatermark, long logStartOffset) {
        PartitionState s = assignment.get(tp);
        if (s != null) {
            s.highWatermark = highWatermark;
            s.logStartOffset = logStartOffset;
        }
    }

    /** Sets the error that the next {@code poll} throws for {@code tp}; fetching it stops until a seek. */
    public void setError(TopicPartition tp, SluiceException error) {
        PartitionState s = assignment.get(tp);
        if (s != null) {
            s.error = error;
        }
    }

    /** The error {@code poll} would throw for {@code tp}, or null. */
    public SluiceException stateError(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        return s == null ? null : s.error;
    }

    public void pause(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            requireAssigned(tp).paused = true;
        }
    }

    public void resume(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            requireAssigned(tp).paused = false;
        }
    }

    /** The paused partitions. */
    public Set<TopicPartition> paused() {
        Set<TopicPartition> out = new LinkedHashSet<>();
        assignment.forEach((tp, s) -> {
            if (s.paused) {
                out.add(tp);
            }
        });
        return out;
    }

    /** Partitions in {@code state}, not being revoked. */
    public List<TopicPartition> partitionsIn(FetchState state) {
        return assignment.entrySet().stream()
                .filter(e -> e.getValue().fetchState == state && !e.getValue().pendingRevocation)
                .map(Map.Entry::getKey).toList();
    }

    /** The position of {@code tp}, if known. */
    public OptionalLong position(TopicPartition tp) {
        PartitionState s = requireAssigned(tp);
        return s.fetchState == FetchState.FETCHING ? OptionalLong.of(s.position) : OptionalLong.empty();
    }

    /** High watermark minus position, when both are known. */
    public OptionalLong lag(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        if (s == null || s.fetchState != FetchState.FETCHING || s.highWatermark < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, s.highWatermark - s.position));
    }

    /**
     * The positions to commit: every assigned partition with a known position, optionally only
     * those in {@code only} (null: all).
     */
    public Map<TopicPartition, OffsetAndMetadata> consumedPositions(Collection<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
        assignment.forEach((tp, s) -> {
            if (s.fetchState == FetchState.FETCHING && s.position >= 0 && (only == null || only.contains(tp))) {
                out.put(tp, new OffsetAndMetadata(s.position, s.positionLeaderEpoch, ""));
            }
        });
        return out;
    }

    private PartitionState requireAssigned(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        if (s == null) {
            throw new IllegalStateException("partition " + tp + " is not assigned to this consumer");
        }
        return s;
    }
}
