package io.sluice.client.internal.metadata;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a client's {@link Cluster} snapshot current. Poll-driven: {@link #poll} sends a
 * {@code Metadata} request when an update was requested (after NOT_LEADER and similar errors, or
 * for a new topic), or when the snapshot is older than {@code metadata.max.age.ms}; at most one
 * request is in flight. It asks a known broker, falling back to the bootstrap addresses, and moves
 * to the next candidate after a failure, backing off exponentially. An answer older than the
 * snapshot (a lagging broker: smaller {@code metadata_version}) is dropped and another broker asked;
 * an answer that lacks a wanted topic or one of its leaders is followed, after a backoff that grows
 * while that lasts, by another request, to the next broker.
 * Leader hints from NOT_LEADER answers update the snapshot at once ({@link #applyLeaderHint}).
 *
 * <p>Threading: {@link #poll} and {@link #applyLeaderHint} run on the owning core's thread;
 * {@link #cluster()}, {@link #addTopics} and {@link #requestUpdate} may be called from any thread.
 */
public final class MetadataManager {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataManager.class);

    private final List<HostPort> bootstrap;
    private final long maxAgeMs;
    private final long requestTimeoutMs;
    private final Backoff backoff;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();

    private volatile Cluster cluster = Cluster.empty();
    private volatile boolean updateRequested = true;
    private volatile SluiceException lastError;
    private boolean inFlight;
    private long lastSuccessMs = Long.MIN_VALUE;
    private long nextAttemptMs;
    private int failures;
    private int problemStreak;
    private int cursor;
    /** Nodes a request recently failed to reach: consecutive failures, and until when to avoid them. */
    private final Map<HostPort, long[]> failedNodes = new HashMap<>();
    private long nowMs;
    private long updates;

    public MetadataManager(List<HostPort> bootstrap, long maxAgeMs, long requestTimeoutMs, Backoff backoff) {
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("at least one bootstrap address is needed");
        }
        this.bootstrap = List.copyOf(bootstrap);
        this.maxAgeMs = maxAgeMs;
        this.requestTimeoutMs = requestTimeoutMs;
        this.backoff = backoff;
    }

    /** The current snapshot. */
    public Cluster cluster() {
        return cluster;
    }

    /** Adds topics to those kept current; a new one triggers an update. */
    public void addTopics(Collection<String> names) {
        // The producer calls this for every record it sends: a lock-free read when nothing is new.
        if (!topics.containsAll(names) && topics.addAll(names)) {
            updateRequested = true;
        }
    }


    /** The topics kept current. */
    public Set<String> topics() {
        return Set.copyOf(topics);
    }

    /** Asks for an update at the next opportunity (subject to backoff). */
    public void requestUpdate() {
        updateRequested = true;
    }

    /** Whether an update is requested or in flight. */
    public boolean updatePending() {
        return updateRequested || inFlight;
    }

    /** How many answers have been merged so far. */
    public long updates() {
        return updates;
    }

    /** The last failure to obtain metadata, cleared by the next success; null if none. */
    public SluiceException lastError() {
        return lastError;
    }

    /**
     * Applies a leader hint from a NOT_LEADER (or similar) answer for {@code tp}; without a usable
     * hint, requests an update instead.
     */
    public void applyLeaderHint(TopicPartition tp, LeaderHint hint) {
        if (hint == null || hint.getLeaderId() < 0 || !hint.hasEndpoint()) {
            requestUpdate();
            return;
        }
        Cluster updated = cluster.withLeader(tp, hint.getLeaderId(), hint.getLeaderEpoch(),
                HostPort.of(hint.getEndpoint()));
        if (updated == cluster) {
            requestUpdate();
        }
        cluster = updated;
    }

    /** Sends a metadata request if one is due and none is in flight. */
    public void poll(long now, NetworkClient network) {
        this.nowMs = now;
        if (inFlight || now < nextAttemptMs) {
            return;
        }
        boolean stale = lastSuccessMs == Long.MIN_VALUE || now - lastSuccessMs >= maxAgeMs;
        if (!updateRequested && !stale) {
            return;
        }
        HostPort node = pickNode(network);
        // Cleared before the topics are read: a topic that another thread adds after this line asks
        // for the next update itself. Cleared after, such a topic could miss this request while its
        // request for an update was wiped, and partitionsFor would wait out its timeout (it did).
        updateRequested = false;
        MetadataRequest request = MetadataRequest.newBuilder().addAllTopics(new TreeSet<>(topics)).build();
        inFlight = true;
        network.send(node, MetadataServiceGrpc.getMetadataMethod(), request, now, requestTimeoutMs,
                (response, error) -> handleResponse(node, response, error, request));
    }

    /** When {@link #poll} next has something to do, or {@code Long.MAX_VALUE}. */
    public long nextPollMs() {
        if (inFlight) {
            return Long.MAX_VALUE;
        }
        if (updateRequested) {
            return nextAttemptMs;
        }
        return lastSuccessMs == Long.MIN_VALUE ? nextAttemptMs : Math.max(nextAttemptMs, lastSuccessMs + maxAgeMs);
    }

    private void handleResponse(HostPort node, MetadataResponse response, SluiceException error,
            MetadataRequest request) {
        inFlight = false;
        if (error != null) {
            failures++;
            LOG.debug("metadata from {} failed ({} in a row): {}", node, failures, error.toString());
            lastError = error;
            skipNode(node);
            updateRequested = true;
            nextAttemptMs = nowMs + backoff.backoffMs(failures);
            return;
        }
        if (response.getMetadataVersion() < cluster.version()) {
            LOG.debug("metadata from {} is older ({}) than known ({}); asking another node", node,
                    response.getMetadataVersion(), cluster.version());
            skipNode(node);
            updateRequested = true;
            nextAttemptMs = nowMs + backoff.backoffMs(1);
            return;
        }
        failures = 0;
        lastError = null;
        failedNodes.remove(node);
        cluster = cluster.merge(response);
        lastSuccessMs = nowMs;
        updates++;
        problemStreak = hasProblems(request) ? problemStreak + 1 : 0;
        if (problemStreak > 0) {
            // Asked again after the backoff, as long as a wanted topic is unknown or leaderless: a
            // caller waiting for a topic created a moment ago (partitionsFor) asks only once. And
            // another broker is asked: this one may be behind the metadata quorum (a node just
            // created the topic on, or one that was cut off) while the others already know it.
            updateRequested = true;
            moveCursorPast(node);
        }
        nextAttemptMs = problemStreak == 0 ? nowMs : nowMs + backoff.backoffMs(problemStreak);
    }

    private boolean hasProblems(MetadataRequest request) {
        for (String topic : request.getTopicsList()) {
            int count = cluster.partitionCount(topic);
            if (count < 0 || cluster.availablePartitions(topic).size() < count) {
                return true;
            }
        }
        return false;
    }

    /**
     * A node to ask: known usable brokers by id, then bootstrap addresses; starting at the cursor
     * (moved past failed nodes), the first with the fewest requests in flight among those not
     * recently unreachable (all of them if every one is). A dead node has no request in flight, so
     * without the second rule it would look the least loaded and be asked again and again.
     */
    public HostPort pickNode(NetworkClient network) {
        List<HostPort> candidates = candidates();
        HostPort best = null;
        long bestScore = Long.MAX_VALUE;
        for (int i = 0; i < candidates.size(); i++) {
            HostPort c = candidates.get(Math.floorMod(cursor + i, candidates.size()));
            long[] failed = failedNodes.get(c);
            boolean avoided = failed != null && nowMs < failed[1];
            long score = (avoided ? (long) Integer.MAX_VALUE : 0L) + network.inFlight(c);
            if (score < bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    private List<HostPort> candidates() {
        List<HostPort> candidates = new ArrayList<>();
        for (Cluster.Broker b : cluster.brokers().values()) {
            if (b.usable()) {
                candidates.add(b.address());
            }
        }
        for (HostPort b : bootstrap) {
            if (!candidates.contains(b)) {
                candidates.add(b);
            }
        }
        return candidates;
    }

    /**
     * Moves the node choice past {@code failed} (after a failure talking to it), and avoids it for a
     * backoff that grows with its consecutive failures.
     */
    public void skipNode(HostPort failed) {
        moveCursorPast(failed);
        long[] state = failedNodes.computeIfAbsent(failed, n -> new long[2]);
        state[0]++;
        state[1] = nowMs + backoff.backoffMs((int) Math.min(state[0], Integer.MAX_VALUE));
    }

    /** Moves the node choice to the candidate after {@code node}. */
    private void moveCursorPast(HostPort node) {
        int index = candidates().indexOf(node);
        cursor = index < 0 ? cursor + 1 : index + 1;
    }

}
