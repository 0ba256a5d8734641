package io.sluice.client.consumer.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.FencedMemberException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.Coordinators;
import io.sluice.client.internal.RetryPolicy;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupServiceGrpc;
import io.sluice.proto.v1.SubscribedTopics;
import io.sluice.proto.v1.TopicPartitionSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's side of KIP-848 group membership, as a poll-driven state machine.
 *
 * <pre>
 *  UNSUBSCRIBED --subscribe--> JOINING --answer--> STABLE --assignment--> RECONCILING
 *  RECONCILING --revoke, commit, apply, assign done--> ACKNOWLEDGING --answer--> STABLE
 *  any member state --FENCED_MEMBER_EPOCH / UNKNOWN_MEMBER_ID--> FENCED --lost callback--> JOINING (epoch 0)
 *  any member state --no poll for max.poll.interval.ms--> LEAVING --> STALE --next poll--> (lost) JOINING
 *  any member state --leave()--> PREPARE_LEAVING (revoke callback, commit) --> LEAVING (epoch -1, or -2 static)
 *  LEAVING --answer or failure--> UNSUBSCRIBED;   a non-retriable heartbeat error --> FATAL
 * </pre>
 *
 * <p>Reconciling an assignment revokes only the partitions that left it: they stop being fetched
 * and returned at once, {@code onPartitionsRevoked} runs for them (on the application thread,
 * during its next poll), their positions are committed (with auto-commit), they are removed;
 * then the new partitions are added and {@code onPartitionsAssigned} runs for them; then the next
 * heartbeat reports the new owned set. Partitions that stay are never touched. An assignment that
 * arrives meanwhile is reconciled next. Heartbeats go every {@code heartbeat_interval_ms} the
 * coordinator asks for, and at once when there is something to report; each carries the
 * subscription and the owned partitions only when they changed since the coordinator last
 * acknowledged them (always on a join).
 *
 * <p>Not thread-safe: the consumer core calls it under its lock; the steps that need the
 * application thread come back through {@link Host}.
 */
public final class MembershipManager {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipManager.class);

    /** Member states; see the class comment. */
    public enum State { UNSUBSCRIBED, JOINING, STABLE, RECONCILING, ACKNOWLEDGING, FENCED, PREPARE_LEAVING, LEAVING,
        STALE, FATAL }

    /** Which listener method to run. */
    public enum ListenerMethod { REVOKED, ASSIGNED, LOST }

    /** What membership needs from the rest of the consumer. */
    public interface Host {
        /** Stops fetching these partitions and drops their buffered records. */
        void stopFetching(Set<TopicPartition> partitions);

        /** Runs the listener on the application thread; completes when it returned (at once without one). */
        CompletableFuture<Void> invokeListener(ListenerMethod method, Set<TopicPartition> partitions);

        /** Commits these partitions' positions when auto-commit is on; completes when done (or at once). */
        CompletableFuture<Void> commitRevoked(Set<TopicPartition> partitions);

        /** Removes partitions from the assignment. */
        void removeAssigned(Set<TopicPartition> partitions);

        /** Adds partitions to the assignment. */
        void addAssigned(Set<TopicPartition> partitions);

        /** The current metadata, to resolve topic ids. */
        Cluster cluster();

        /** Asks for fresher metadata (an assignment names a topic id not known yet). */
        void requestMetadataUpdate();
    }

    private enum Step { REVOKE_CALLBACK, COMMIT, ASSIGN_CALLBACK }

    private static final class Reconciliation {
        final Set<TopicPartition> target;
        final Set<TopicPartition> revoked;
        final Set<TopicPartition> added;
        Step step = Step.REVOKE_CALLBACK;
        CompletableFuture<Void> pending;

        Reconciliation(Set<TopicPartition> target, Set<TopicPartition> revoked, Set<TopicPartition> added) {
            this.target = target;
            this.revoked = revoked;
            this.added = added;
        }
    }

    private final GroupSettings settings;
    private final String memberId;
    private final Host host;
    private final Backoff backoff;

    private State state = State.UNSUBSCRIBED;
    private int memberEpoch;
    private Set<String> subscription = Set.of();
    private Set<String> ackedSubscription;
    private Set<TopicPartition> owned = new LinkedHashSet<>();
    /** What heartbeats report as owned: {@code owned} as of the last finished reconciliation. */
    private Set<TopicPartition> reported = Set.of();
    private Set<TopicPartition> ackedOwned;
    private final Map<String, String> topicIds = new HashMap<>();
    private Assignment pendingAssignment;
    private Reconciliation reconciliation;
    private CompletableFuture<Void> lostCallback;
    private boolean heartbeatInFlight;
    private long nextHeartbeatMs;
    private int heartbeatIntervalMs;
    private int failures;
    private long lastPollMs;
    private boolean leaveIsStale;
    private boolean leaveTemporarily;
    private CompletableFuture<Void> leaveFuture;
    private SluiceException fatalError;
    private long nowMs;

    public MembershipManager(GroupSettings settings, String memberId, Host host, Backoff backoff) {
        this.settings = settings;
        this.memberId = memberId;
        this.host = host;
        this.backoff = backoff;
    }

    public State state() {
        return state;
    }

    public String memberId() {
        return memberId;
    }

    /** The epoch to send with commits: the current one while a member, else -1. */
    public int memberEpoch() {
        return isMember() ? memberEpoch : -1;
    }

    /** Whether the coordinator counts this consumer as a member with a real epoch. */
    public boolean isMember() {
        return memberEpoch > 0 && (state == State.STABLE || state == State.RECONCILING
                || state == State.ACKNOWLEDGING || state == State.PREPARE_LEAVING);
    }

    /** The partitions membership has applied. */
    public Set<TopicPartition> owned() {
        return Set.copyOf(owned);
    }

    /** The error that stopped membership for good, or null. */
    public SluiceException fatalError() {
        return fatalError;
    }

    /** Joins with, or changes to, {@code topics}. */
    public void subscribe(Set<String> topics, long now) {
        this.nowMs = now;
        this.subscription = Set.copyOf(topics);
        this.lastPollMs = now;
        if (state == State.UNSUBSCRIBED || state == State.FATAL) {
            fatalError = null;
            transitionToJoining();
        }
        nextHeartbeatMs = now;
    }

    /** The application polled: the poll timer restarts, and a member that went stale rejoins. */
    public void onPoll(long now) {
        this.nowMs = now;
        this.lastPollMs = now;
        if (state == State.STALE) {
            transitionToFenced("rejoining after max.poll.interval.ms passed without a poll");
        }
    }

    /**
     * Starts leaving: revokes every owned partition (listener, auto-commit), then sends a leave
     * heartbeat ({@code -2} for a static member when {@code temporarily}, else {@code -1}).
     *
     * @return completes when the coordinator answered the leave, or it failed
     */
    public CompletableFuture<Void> leave(boolean temporarily, long now) {
        this.nowMs = now;
        if (leaveFuture != null && !leaveFuture.isDone()) {
            return leaveFuture;
        }
        leaveFuture = new CompletableFuture<>();
        leaveTemporarily = temporarily && settings.instanceId() != null;
        leaveIsStale = false;
        if (state == State.UNSUBSCRIBED || state == State.FATAL || state == State.STALE || state == State.FENCED) {
            releaseAll();
            state = State.UNSUBSCRIBED;
            leaveFuture.complete(null);
            return leaveFuture;
        }
        reconciliation = null;
        pendingAssignment = null;
        state = State.PREPARE_LEAVING;
        Set<TopicPartition> revoked = Set.copyOf(owned);
        if (!revoked.isEmpty()) {
            host.stopFetching(revoked);
        }
        reconciliation = new Reconciliation(Set.of(), revoked, Set.of());
        reconciliation.pending = revoked.isEmpty() ? done() : host.invokeListener(ListenerMethod.REVOKED, revoked);
        return leaveFuture;
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    /** Advances the state machine and sends a heartbeat when one is due. */
    public void poll(long now, NetworkClient network, Coordinators coordinators) {
        this.nowMs = now;
        if (state == State.UNSUBSCRIBED || state == State.FATAL || state == State.STALE) {
            return;
        }
        if (inGroup() && now - lastPollMs > settings.maxPollIntervalMs()) {
            LOG.warn("no poll for {} ms (max.poll.interval.ms): leaving group {} so that its partitions move",
                    now - lastPollMs, settings.groupId());
            host.stopFetching(Set.copyOf(owned));
            reconciliation = null;
            pendingAssignment = null;
            leaveIsStale = true;
            leaveTemporarily = settings.instanceId() != null;
            state = State.LEAVING;
            nextHeartbeatMs = now;
        }
        progressLost();
        progressReconciliation();
        maybeStartReconciliation();
        maybeSendHeartbeat(now, network, coordinators);
    }

    private boolean inGroup() {
        return state == State.JOINING || state == State.STABLE || state == State.RECONCILING
                || state == State.ACKNOWLEDGING;
    }

    private void progressLost() {
        if (state != State.FENCED || lostCallback == null || !lostCallback.isDone()) {
            return;
        }
        lostCallback = null;
        releaseAll();
        transitionToJoining();
    }

    private void releaseAll() {
        if (!owned.isEmpty()) {
            host.removeAssigned(Set.copyOf(owned));
        }
        owned = new LinkedHashSet<>();
        reported = Set.of();
    }

    private void transitionToJoining() {
        state = State.JOINING;
        memberEpoch = 0;
        ackedSubscription = null;
        ackedOwned = null;
        nextHeartbeatMs = nowMs;
    }

    private void transitionToFenced(String why) {
        LOG.info("member {} of group {}: {}; its partitions are lost", memberId, settings.groupId(), why);
        state = State.FENCED;
        reconciliation = null;
        pendingAssignment = null;
        Set<TopicPartition> lost = Set.copyOf(owned);
        if (!lost.isEmpty()) {
            host.stopFetching(lost);
        }
        lostCallback = lost.isEmpty() ? done() : host.invokeListener(ListenerMethod.LOST, lost);
        progressLost();
    }

    private void progressReconciliation() {
        Reconciliation r = reconciliation;
        while (r != null && r == reconciliation && r.pending.isDone()) {
            switch (r.step) {
                case REVOKE_CALLBACK -> {
                    r.step = Step.COMMIT;
                    r.pending = r.revoked.isEmpty() ? done() : host.commitRevoked(r.revoked);
                }
                case COMMIT -> {
                    if (!r.revoked.isEmpty()) {
                        host.removeAssigned(r.revoked);
                    }
                    if (!r.added.isEmpty()) {
                        host.addAssigned(r.added);
                    }
                    owned = new LinkedHashSet<>(r.target);
                    r.step = Step.ASSIGN_CALLBACK;
                    r.pending = r.added.isEmpty() ? done() : host.invokeListener(ListenerMethod.ASSIGNED, r.added);
                }
                case ASSIGN_CALLBACK -> finishReconciliation();
                default -> throw new IllegalStateException("unknown step " + r.step);
            }
        }
    }

    private void finishReconciliation() {
        reconciliation = null;
        reported = Set.copyOf(owned);
        if (state == State.PREPARE_LEAVING) {
            state = State.LEAVING;
        } else {
            state = State.ACKNOWLEDGING;
        }
        nextHeartbeatMs = nowMs;
    }

    private void maybeStartReconciliation() {
        if (pendingAssignment == null || reconciliation != null
                || !(state == State.STABLE || state == State.ACKNOWLEDGING)) {
            return;
        }
        Set<TopicPartition> target = resolve(pendingAssignment);
        if (target == null) {
            host.requestMetadataUpdate();
            return;
        }
        pendingAssignment = null;
        Set<TopicPartition> revoked = new LinkedHashSet<>(owned);
        revoked.removeAll(target);
        Set<TopicPartition> added = new LinkedHashSet<>(target);
        added.removeAll(owned);
        if (revoked.isEmpty() && added.isEmpty()) {
            return;
        }
        LOG.info("member {} of group {}: revoking {}, adding {}", memberId, settings.groupId(), revoked, added);
        state = State.RECONCILING;
        if (!revoked.isEmpty()) {
            host.stopFetching(revoked);
        }
        reconciliation = new Reconciliation(target, revoked, added);
        reconciliation.pending = revoked.isEmpty() ? done() : host.invokeListener(ListenerMethod.REVOKED, revoked);
        progressReconciliation();
    }

    private Set<TopicPartition> resolve(Assignment assignment) {
        Set<TopicPartition> out = new LinkedHashSet<>();
        Cluster cluster = host.cluster();
        for (TopicPartitionSet set : assignment.getTopicPartitionsList()) {
            String name = set.getTopicName().isEmpty() ? cluster.topicName(set.getTopicId()).orElse(null)
                    : set.getTopicName();
            if (name == null) {
                return null;
            }
            topicIds.put(name, set.getTopicId());
            for (int p : set.getPartitionsList()) {
                out.add(new TopicPartition(name, p));
            }
        }
        return out;
    }

    private void maybeSendHeartbeat(long now, NetworkClient network, Coordinators coordinators) {
        boolean sendable = inGroup() || state == State.LEAVING;
        if (!sendable || heartbeatInFlight || now < nextHeartbeatMs) {
            return;
        }
        HostPort coordinator = coordinators.coordinator(settings.groupId());
        if (coordinator == null) {
            return;
        }
        boolean leaving = state == State.LEAVING;
        boolean joining = state == State.JOINING;
        ConsumerGroupHeartbeatRequest.Builder request = ConsumerGroupHeartbeatRequest.newBuilder()
                .setGroupId(settings.groupId()).setMemberId(memberId)
                .setMemberEpoch(leaving ? (leaveTemporarily ? -2 : -1) : memberEpoch)
                .setRebalanceTimeoutMs(settings.maxPollIntervalMs()).setServerAssignor(settings.serverAssignor())
                .setRackId(settings.rackId()).setClientId(settings.clientId());
        if (settings.instanceId() != null) {
            request.setInstanceId(settings.instanceId());
        }
        Set<String> sentSubscription = null;
        Set<TopicPartition> sentOwned = null;
        if (!leaving && (joining || !subscription.equals(ackedSubscription))) {
            sentSubscription = subscription;
            request.setSubscribedTopics(SubscribedTopics.newBuilder().addAllNames(new TreeSet<>(subscription)));
        }
        if (!leaving && (joining || !reported.equals(ackedOwned))) {
            sentOwned = reported;
            request.setOwnedPartitions(toAssignment(sentOwned));
        }
        heartbeatInFlight = true;
        Set<String> subscriptionSent = sentSubscription;
        Set<TopicPartition> ownedSent = sentOwned;
        network.send(coordinator, GroupServiceGrpc.getConsumerGroupHeartbeatMethod(), request.build(), now,
                settings.requestTimeoutMs(), (response, error) ->
                        handleHeartbeat(leaving, subscriptionSent, ownedSent, response, error, coordinators));
    }

    private Assignment toAssignment(Set<TopicPartition> partitions) {
        Map<String, TreeSet<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(tp.partition());
        }
        Assignment.Builder a = Assignment.newBuilder();
        Cluster cluster = host.cluster();
        byTopic.forEach((topic, ids) -> a.addTopicPartitions(TopicPartitionSet.newBuilder()
                .setTopicId(topicIds.getOrDefault(topic,
                        cluster.topic(topic).map(Cluster.Topic::topicId).orElse("")))
                .setTopicName(topic).addAllPartitions(ids)));
        return a.build();
    }

    private void handleHeartbeat(boolean wasLeave, Set<String> sentSubscription, Set<TopicPartition> sentOwned,
            ConsumerGroupHeartbeatResponse response, SluiceException error, Coordinators coordinators) {
        heartbeatInFlight = false;
        SluiceException failure = error;
        if (failure == null && response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            failure = Errors.toException(response.getErrorCode(), response.getErrorMessage());
        }
        if (wasLeave) {
            finishLeave(failure);
            return;
        }
        if (failure != null) {
            handleHeartbeatFailure(failure, coordinators);
            return;
        }
        failures = 0;
        memberEpoch = response.getMemberEpoch();
        heartbeatIntervalMs = response.getHeartbeatIntervalMs();
        nextHeartbeatMs = nowMs + heartbeatIntervalMs;
        if (sentSubscription != null) {
            ackedSubscription = sentSubscription;
        }
        if (sentOwned != null) {
            ackedOwned = sentOwned;
        }
        if (state == State.JOINING || (state == State.ACKNOWLEDGING && reported.equals(ackedOwned))) {
            state = State.STABLE;
        }
        if (response.hasAssignment() && inGroup()) {
            pendingAssignment = response.getAssignment();
            maybeStartReconciliation();
        }
    }

    private void finishLeave(SluiceException failure) {
        if (failure != null) {
            LOG.info("leave heartbeat of member {} failed ({}); leaving anyway", memberId, failure.getMessage());
        }
        memberEpoch = 0;
        if (leaveIsStale) {
            state = State.STALE;
            return;
        }
        releaseAll();
        state = State.UNSUBSCRIBED;
        if (leaveFuture != null) {
            leaveFuture.complete(null);
        }
    }

    private void handleHeartbeatFailure(SluiceException failure, Coordinators coordinators) {
        if (failure instanceof FencedMemberException) {
            transitionToFenced(failure.getMessage());
            return;
        }
        RetryPolicy.Decision decision = RetryPolicy.decide(failure);
        if (!decision.retry()) {
            LOG.error("member {} of group {} stops: {}", memberId, settings.groupId(), failure.getMessage());
            fatalError = failure;
            host.stopFetching(Set.copyOf(owned));
            reconciliation = null;
            state = State.FATAL;
            return;
        }
        if (decision.findCoordinator()) {
            coordinators.markUnknown(settings.groupId());
        }
        failures++;
        nextHeartbeatMs = nowMs + backoff.backoffMs(failures);
    }

    /**
     * When the state machine next needs a poll without an answer arriving, or {@code Long.MAX_VALUE}.
     * A heartbeat due while the group's coordinator is unknown does not count: it cannot be sent, and
     * the coordinator lookup's answer brings the next poll. Counting it kept the consumer's
     * background thread polling without pause until that answer came: 37,000 rounds in the
     * second it took on the 2-core box (docs/benchmarks.md, "Fewer rounds of the consumer's
     * background thread").
     */
    public long nextPollMs(Coordinators coordinators) {
        boolean sendable = inGroup() || state == State.LEAVING;
        long next = sendable && !heartbeatInFlight && coordinators.isKnown(settings.groupId())
                ? nextHeartbeatMs : Long.MAX_VALUE;
        if (inGroup()) {
            next = Math.min(next, lastPollMs + settings.maxPollIntervalMs() + 1);
        }
        return next;
    }
}
