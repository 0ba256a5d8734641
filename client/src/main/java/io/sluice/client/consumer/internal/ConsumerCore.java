package io.sluice.client.consumer.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.ConsumerRebalanceListener;
import io.sluice.client.consumer.OffsetAndMetadata;
import io.sluice.client.consumer.OffsetResetStrategy;
import io.sluice.client.errors.CommitFailedException;
import io.sluice.client.errors.NoOffsetForPartitionException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.RpcOperation;
import io.sluice.client.internal.Coordinators;
import io.sluice.client.internal.GroupRequests;
import io.sluice.client.internal.ListOffsetsOperation;
import io.sluice.client.internal.Operation;
import io.sluice.client.internal.OperationContext;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IsolationLevel;
import io.sluice.proto.v1.OffsetSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's single-threaded core: subscription state, fetcher, group membership, commits,
 * and position lookups, driven by {@link #poll} (from the background thread, or a test) and by
 * the application's calls (from the facade). Both run under the facade's lock, one at a time;
 * nothing here blocks or waits. Work that must run on the application thread (rebalance listener,
 * commit callbacks) is queued as {@link AppCallback}s for the facade to run during {@code poll}.
 *
 * <p>Positions: a partition newly assigned first looks up the group's committed offset (with a
 * group), and without one resets by {@code auto.offset.reset} through {@code ListOffsets} at its
 * leader. Commits go to the coordinator one at a time, in the order asked, each retried until its
 * deadline. Not thread-safe.
 */
public final class ConsumerCore implements MembershipManager.Host {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerCore.class);

    /**
     * Settings beyond fetching and membership.
     *
     * @param groupId              the group, or null
     * @param autoCommit           whether auto-commit is on
     * @param autoCommitIntervalMs interval between auto-commits
     * @param defaultApiTimeoutMs  deadline of background lookups and commits
     * @param defaultReset         the reset strategy
     * @param isolation            isolation for offset lookups
     */
    public record Settings(String groupId, boolean autoCommit, long autoCommitIntervalMs, long defaultApiTimeoutMs,
            OffsetResetStrategy defaultReset, IsolationLevel isolation) {
    }

    private final Settings settings;
    private final SubscriptionState subscriptions;
    private final MetadataManager metadata;
    private final NetworkClient network;
    private final Coordinators coordinators;
    private final Fetcher fetcher;
    private final MembershipManager membership;
    private final OperationContext context;
    private final List<Operation> operations = new ArrayList<>();
    private final ArrayDeque<RpcOperation<?, ?, Void>> commits = new ArrayDeque<>();
    private final ArrayDeque<AppCallback> appCallbacks = new ArrayDeque<>();
    private final Set<TopicPartition> resetting = new HashSet<>();
    private Set<TopicPartition> committedLookup = Set.of();
    private long committedRetryAtMs;
    private long nextAutoCommitMs;
    private long nowMs;

    public ConsumerCore(Settings settings, FetchSettings fetchSettings, GroupSettings groupSettings, String memberId,
            MetadataManager metadata, NetworkClient network, Backoff backoff, int requestTimeoutMs) {
        this.settings = settings;
        this.subscriptions = new SubscriptionState(settings.defaultReset());
        this.metadata = metadata;
        this.network = network;
        this.coordinators = new Coordinators(backoff, requestTimeoutMs);
        this.fetcher = new Fetcher(fetchSettings, subscriptions, metadata, network, backoff, settings.defaultReset());
        this.membership = groupSettings == null ? null : new MembershipManager(groupSettings, memberId, this, backoff);
        this.context = new OperationContext(network, metadata, coordinators, backoff, requestTimeoutMs);
    }

    // ---- background ----

    /** One round of work at {@code now}. */
    public void poll(long now) {
        this.nowMs = now;
        network.poll(now);
        metadata.poll(now, network);
        if (membership != null) {
            membership.poll(now, network, coordinators);
        }
        resolvePositions(now);
        fetcher.poll(now);
        operations.removeIf(op -> op.poll(now, context));
        while (!commits.isEmpty() && commits.peekFirst().poll(now, context)) {
            commits.pollFirst();
        }
        coordinators.poll(now, network, metadata);
        metadata.poll(now, network);
    }

    /** When {@link #poll} next has work without an answer arriving. */
    public long nextPollMs() {
        long next = Math.min(network.nextDeadlineMs(), metadata.nextPollMs());
        next = Math.min(next, coordinators.nextPollMs());
        if (membership != null) {
            next = Math.min(next, membership.nextPollMs(coordinators));
        }
        for (Operation op : operations) {
            next = Math.min(next, op.nextPollMs());
        }
        if (!commits.isEmpty()) {
            next = Math.min(next, commits.peekFirst().nextPollMs());
        }
        next = Math.min(next, fetcher.nextRetryMs(nowMs));
        for (TopicPartition tp : subscriptions.assigned()) {
            long retry = subscriptions.state(tp).retryAtMs;
            if (retry > nowMs) {
                next = Math.min(next, retry);
            }
        }
        return committedRetryAtMs > nowMs ? Math.min(next, committedRetryAtMs) : next;
    }

    private void resolvePositions(long now) {
        List<TopicPartition> initializing = subscriptions.partitionsIn(SubscriptionState.FetchState.INITIALIZING);
        if (settings.groupId() == null) {
            initializing.forEach(tp -> subscriptions.requestReset(tp, null));
        } else if (!initializing.isEmpty() && committedLookup.isEmpty() && now >= committedRetryAtMs) {
            lookUpCommitted(initializing, now);
        }
        List<TopicPartition> toReset = new ArrayList<>();
        for (TopicPartition tp : subscriptions.partitionsIn(SubscriptionState.FetchState.AWAIT_RESET)) {
            SubscriptionState.PartitionState state = subscriptions.state(tp);
            if (resetting.contains(tp) || state.retryAtMs > now || state.error != null) {
                continue;
            }
            if (state.resetStrategy == OffsetResetStrategy.NONE) {
                subscriptions.setError(tp, new NoOffsetForPartitionException("no committed offset for " + tp
                        + " and auto.offset.reset is none", Map.of(tp.toString(), -1L)));
            } else {
                toReset.add(tp);
            }
        }
        if (!toReset.isEmpty()) {
            reset(toReset, now);
        }
    }

    private void lookUpCommitted(List<TopicPartition> partitions, long now) {
        committedLookup = Set.copyOf(partitions);
        Map<TopicPartition, Long> versions = new HashMap<>();
        partitions.forEach(tp -> versions.put(tp, subscriptions.state(tp).positionVersion));
        var op = GroupRequests.fetchCommitted(settings.groupId(), partitions, now + settings.defaultApiTimeoutMs());
        operations.add(op);
        op.future().whenComplete((committed, error) -> {
            committedLookup = Set.of();
            if (error != null) {
                LOG.warn("looking up committed offsets of {} failed; retrying: {}", partitions, error.getMessage());
                committedRetryAtMs = nowMs + context.backoff().backoffMs(1);
                return;
            }
            for (TopicPartition tp : partitions) {
                SubscriptionState.PartitionState state = subscriptions.state(tp);
                if (state == null || state.fetchState != SubscriptionState.FetchState.INITIALIZING
                        || state.positionVersion != versions.get(tp)) {
                    continue;
                }
                OffsetAndMetadata c = committed.get(tp);
                if (c != null) {
                    subscriptions.seek(tp, c.offset(), c.leaderEpoch());
                } else {
                    subscriptions.requestReset(tp, null);
                }
            }
        });
    }

    private void reset(List<TopicPartition> partitions, long now) {
        Map<TopicPartition, ListOffsetsOperation.Query> queries = new LinkedHashMap<>();
        Map<TopicPartition, Long> versions = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            SubscriptionState.PartitionState state = subscriptions.state(tp);
            OffsetSpec spec = state.resetStrategy == OffsetResetStrategy.EARLIEST
                    ? OffsetSpec.OFFSET_SPEC_EARLIEST : OffsetSpec.OFFSET_SPEC_LATEST;
            queries.put(tp, new ListOffsetsOperation.Query(spec, 0));
            versions.put(tp, state.positionVersion);
            resetting.add(tp);
        }
        var op = ListOffsetsOperation.create(queries, settings.isolation(), now + settings.defaultApiTimeoutMs());
        operations.add(op);
        op.future().whenComplete((results, error) -> {
            partitions.forEach(resetting::remove);
            for (TopicPartition tp : partitions) {
                SubscriptionState.PartitionState state = subscriptions.state(tp);
                if (state == null || state.positionVersion != versions.get(tp)) {
                    continue;
                }
                if (error != null) {
                    state.retryAtMs = nowMs + context.backoff().backoffMs(1);
                } else if (results.get(tp).offset() >= 0) {
                    subscriptions.seek(tp, results.get(tp).offset(), results.get(tp).leaderEpoch());
                }
            }
        });
    }

    // ---- MembershipManager.Host ----

    @Override
    public void stopFetching(Set<TopicPartition> partitions) {
        subscriptions.markPendingRevocation(partitions);
        fetcher.dropUnfetchable();
    }

    @Override
    public CompletableFuture<Void> invokeListener(MembershipManager.ListenerMethod method,
            Set<TopicPartition> partitions) {
        ConsumerRebalanceListener listener = subscriptions.listener();
        if (listener == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<TopicPartition> sorted = new ArrayList<>(partitions);
        sorted.sort(null);
        Runnable action = switch (method) {
            case REVOKED -> () -> listener.onPartitionsRevoked(sorted);
            case ASSIGNED -> () -> listener.onPartitionsAssigned(sorted);
            case LOST -> () -> listener.onPartitionsLost(sorted);
            default -> throw new IllegalStateException("unknown listener method " + method);
        };
        AppCallback callback = new AppCallback("onPartitions" + method + sorted, action, new CompletableFuture<>());
        appCallbacks.addLast(callback);
        return callback.done().exceptionally(e -> null);
    }

    @Override
    public CompletableFuture<Void> commitRevoked(Set<TopicPartition> partitions) {
        if (!settings.autoCommit()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = subscriptions.consumedPositions(partitions);
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return commit(offsets, nowMs + settings.defaultApiTimeoutMs()).handle((v, e) -> {
            if (e != null) {
                LOG.warn("committing revoked partitions {} failed: {}", partitions, e.getMessage());
            }
            return null;
        });
    }

    @Override
    public void removeAssigned(Set<TopicPartition> partitions) {
        subscriptions.removeAssigned(partitions);
        fetcher.dropUnfetchable();
    }

    @Override
    public void addAssigned(Set<TopicPartition> partitions) {
        subscriptions.addAssigned(partitions);
        Set<String> topics = new HashSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        metadata.addTopics(topics);
    }

    @Override
    public Cluster cluster() {
        return metadata.cluster();
    }

    @Override
    public void requestMetadataUpdate() {
        metadata.requestUpdate();
    }

    // ---- application ----

    /** The subscription state (read by the facade). */
    public SubscriptionState subscriptions() {
        return subscriptions;
    }

    /** Group membership, or null without {@code group.id}. */
    public MembershipManager membership() {
        return membership;
    }

    /** Manual assignment. */
    public void assign(Collection<TopicPartition> partitions) {
        subscriptions.assignFromUser(partitions);
        Set<String> topics = new HashSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        metadata.addTopics(topics);
        fetcher.dropUnfetchable();
    }

    /** Group subscription. */
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener, long now) {
        if (membership == null) {
            throw new IllegalStateException("subscribe() needs group.id; use assign() to read without a group");
        }
        subscriptions.subscribe(topics, listener);
        metadata.addTopics(topics);
        membership.subscribe(Set.copyOf(topics), now);
    }

    /** The application polled: poll timer, and auto-commit of what earlier polls returned. */
    public void onApplicationPoll(long now) {
        this.nowMs = Math.max(nowMs, now);
        if (membership != null) {
            membership.onPoll(now);
        }
        if (settings.autoCommit() && now >= nextAutoCommitMs) {
            nextAutoCommitMs = now + settings.autoCommitIntervalMs();
            Map<TopicPartition, OffsetAndMetadata> offsets = subscriptions.consumedPositions(null);
            if (!offsets.isEmpty() && canCommit()) {
                commit(offsets, now + settings.defaultApiTimeoutMs()).exceptionally(e -> {
                    LOG.warn("auto-commit of {} failed: {}", offsets.keySet(), e.getMessage());
                    return null;
                });
            }
        }
    }

    private boolean canCommit() {
        return membership == null || subscriptions.mode() != SubscriptionState.Mode.GROUP || membership.isMember();
    }

    /**
     * Queues a commit; completes when the coordinator accepted it or it failed.
     *
     * @throws IllegalStateException without {@code group.id}
     */
    public CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineMs) {
        if (settings.groupId() == null) {
            throw new IllegalStateException("committing offsets needs group.id");
        }
        if (!canCommit()) {
            return CompletableFuture.failedFuture(new CommitFailedException(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID,
                    "this consumer is not a member of group '" + settings.groupId() + "' right now (it is "
                            + membership.state() + "); its partitions may have moved"));
        }
        boolean group = subscriptions.mode() == SubscriptionState.Mode.GROUP && membership != null;
        var op = GroupRequests.commit(settings.groupId(), Map.copyOf(offsets),
                () -> group ? membership.memberId() : "", () -> group ? membership.memberEpoch() : -1, deadlineMs);
        commits.addLast(op);
        return op.future();
    }

    /** Looks up committed offsets. */
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> committed(Set<TopicPartition> partitions,
            long deadlineMs) {
        if (settings.groupId() == null) {
            throw new IllegalStateException("committed offsets need group.id");
        }
        var op = GroupRequests.fetchCommitted(settings.groupId(), partitions, deadlineMs);
        operations.add(op);
        return op.future();
    }

    /** Looks up offsets at the partitions' leaders. */
    public CompletableFuture<Map<TopicPartition, ListOffsetsOperation.Result>> listOffsets(
            Map<TopicPartition, ListOffsetsOperation.Query> queries, long deadlineMs) {
        var op = ListOffsetsOperation.create(queries, settings.isolation(), deadlineMs);
        operations.add(op);
        return op.future();
    }

    /**
     * Hands out up to {@code maxRecords} records, advancing positions.
     *
     * @throws SluiceException a partition's error (invalid position, corrupt batch) or the group's fatal error
     */
    public List<FetchedRecord> collect(int maxRecords) {
        if (membership != null && membership.fatalError() != null) {
            throw membership.fatalError();
        }
        List<FetchedRecord> records = fetcher.collect(maxRecords);
        if (records.isEmpty()) {
            throwPartitionErrors();
        }
        return records;
    }

    private void throwPartitionErrors() {
        for (TopicPartition tp : subscriptions.assigned()) {
            SluiceException e = subscriptions.state(tp).error;
            if (e != null && !subscriptions.state(tp).pendingRevocation) {
                throw e;
            }
        }
    }

    /** Takes the queued application-thread work. */
    public List<AppCallback> takeAppCallbacks() {
        List<AppCallback> out = new ArrayList<>(appCallbacks);
        appCallbacks.clear();
        return out;
    }

    /** Queues application-thread work (an async-commit callback). */
    public void addAppCallback(AppCallback callback) {
        appCallbacks.addLast(callback);
    }

    /**
     * Whether a {@link #collect} since the last call dropped buffered data without handing all of it
     * out, so that a partition can be fetched again (see {@link Fetcher#takeFreedPartitions}).
     */
    public boolean takeFreedPartitions() {
        return fetcher.takeFreedPartitions();
    }

    /** Drops buffered records of partitions no longer fetchable (after pause, seek, unassign). */
    public void dropUnfetchable() {
        fetcher.dropUnfetchable();
    }

    /** Fails what is in flight and stops; the transport belongs to the facade. */
    public void close() {
        network.close();
    }
}
