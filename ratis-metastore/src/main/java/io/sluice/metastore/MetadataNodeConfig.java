package io.sluice.metastore;

import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.QuorumRole;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to start one member of the metadata quorum ({@link MetadataNode#start}). Immutable; build with
 * {@link #builder}.
 *
 * <ul>
 *   <li>{@code nodeId}, {@code role} (VOTER or LISTENER), {@code raftEndpoint} (where this node's
 *       Raft service binds and is reached), {@code clientEndpoint} (this node's Sluice gRPC endpoint,
 *       announced to the quorum so brokers can find the active controller; may be null);</li>
 *   <li>{@code voters}: the initial voters (for a VOTER, it must be one of them unless {@code join}
 *       is set);</li>
 *   <li>{@code join}: the node is not part of the initial configuration and asks the quorum to add
 *       it when it first starts (always the case for a LISTENER);</li>
 *   <li>{@code dataDir}: Raft log and snapshots live under {@code dataDir/metadata};</li>
 *   <li>election timeouts, request timeout, the snapshot threshold (entries since the last
 *       snapshot) and the Raft log segment size;</li>
 *   <li>group commit: {@code maxInFlightBatches} log entries a node keeps outstanding for its
 *       submits (default 4) and {@code maxBatchBytes}, the largest batch of coalesced commands
 *       (default 256 KiB; 0 turns coalescing off, every command is then its own entry);</li>
 *   <li>{@code controller}: the controller's settings; a VOTER runs the controller when it leads.</li>
 * </ul>
 */
public final class MetadataNodeConfig {
    /** Upper bound of {@code maxBatchBytes}: well below Ratis' 4 MiB append buffer, so a batch always ships. */
    public static final int MAX_BATCH_BYTES = 1 << 20;
    private final int nodeId;
    private final QuorumRole role;
    private final Endpoint raftEndpoint;
    private final Endpoint clientEndpoint;
    private final List<QuorumPeer> voters;
    private final boolean join;
    private final Path dataDir;
    private final long electionTimeoutMinMs;
    private final long electionTimeoutMaxMs;
    private final long requestTimeoutMs;
    private final long snapshotThreshold;
    private final long logSegmentBytes;
    private final int maxInFlightBatches;
    private final int maxBatchBytes;
    private final ControllerConfig controller;

    private MetadataNodeConfig(Builder b) {
        nodeId = b.nodeId;
        role = Objects.requireNonNull(b.role, "role");
        raftEndpoint = Objects.requireNonNull(b.raftEndpoint, "raftEndpoint");
        clientEndpoint = b.clientEndpoint;
        voters = List.copyOf(b.voters);
        join = b.join || role == QuorumRole.QUORUM_ROLE_LISTENER;
        dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
        electionTimeoutMinMs = b.electionTimeoutMinMs;
        electionTimeoutMaxMs = b.electionTimeoutMaxMs;
        requestTimeoutMs = b.requestTimeoutMs;
        snapshotThreshold = b.snapshotThreshold;
        logSegmentBytes = b.logSegmentBytes;
        maxInFlightBatches = b.maxInFlightBatches;
        maxBatchBytes = b.maxBatchBytes;
        controller = b.controller;
        validate();
    }

    private void validate() {
        if (nodeId < 0 || voters.isEmpty() || electionTimeoutMinMs < 1 || electionTimeoutMaxMs <= electionTimeoutMinMs
                || requestTimeoutMs < 1 || snapshotThreshold < 1 || logSegmentBytes < 1024 || maxInFlightBatches < 1
                || maxBatchBytes < 0 || maxBatchBytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("invalid metadata node config for node " + nodeId);
        }
        if (role != QuorumRole.QUORUM_ROLE_VOTER && role != QuorumRole.QUORUM_ROLE_LISTENER) {
            throw new IllegalArgumentException("role must be VOTER or LISTENER");
        }
        boolean listed = voters.stream().anyMatch(v -> v.nodeId() == nodeId);
        if (role == QuorumRole.QUORUM_ROLE_VOTER && !listed && !join) {
            throw new IllegalArgumentException("voter " + nodeId + " is not among the voters " + voters);
        }
        if (role == QuorumRole.QUORUM_ROLE_LISTENER && listed) {
            throw new IllegalArgumentException("listener " + nodeId + " is listed as a voter");
        }
    }

    /** A builder with test-friendly defaults: 1–2 s elections, 10 s requests, snapshot every 10,000 entries. */
    public static Builder builder() {
        return new Builder();
    }

    public int nodeId() {
        return nodeId;
    }

    public QuorumRole role() {
        return role;
    }

    public Endpoint raftEndpoint() {
        return raftEndpoint;
    }

    public Endpoint clientEndpoint() {
        return clientEndpoint;
    }

    public List<QuorumPeer> voters() {
        return voters;
    }

    public boolean join() {
        return join;
    }

    public Path dataDir() {
        return dataDir;
    }

    public long electionTimeoutMinMs() {
        return electionTimeoutMinMs;
    }

    public long electionTimeoutMaxMs() {
        return electionTimeoutMaxMs;
    }

    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public long snapshotThreshold() {
        return snapshotThreshold;
    }

    public long logSegmentBytes() {
        return logSegmentBytes;
    }

    /** Log entries this node keeps outstanding for its submits (group commit pipelining). */
    public int maxInFlightBatches() {
        return maxInFlightBatches;
    }

    /** Largest batch of coalesced commands, in serialized bytes; 0 = no coalescing. */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** The controller's settings (defaults when not set). */
    public ControllerConfig controller() {
        return controller;
    }

    /** Builds a {@link MetadataNodeConfig}. Not thread-safe. */
    public static final class Builder {
        private int nodeId = -1;
        private QuorumRole role = QuorumRole.QUORUM_ROLE_VOTER;
        private Endpoint raftEndpoint;
        private Endpoint clientEndpoint;
        private List<QuorumPeer> voters = List.of();
        private boolean join;
        private Path dataDir;
        private long electionTimeoutMinMs = 500;
        private long electionTimeoutMaxMs = 1000;
        private long requestTimeoutMs = 10_000;
        private long snapshotThreshold = 10_000;
        private long logSegmentBytes = 8L << 20;
        private int maxInFlightBatches = 4;
        private int maxBatchBytes = 256 * 1024;
        private ControllerConfig controller = ControllerConfig.defaults();

        public Builder nodeId(int id) {
            this.nodeId = id;
            return this;
        }

        public Builder role(QuorumRole r) {
            this.role = r;
            return this;
        }

        public Builder raftEndpoint(Endpoint e) {
            this.raftEndpoint = e;
            return this;
        }

        public Builder clientEndpoint(Endpoint e) {
            this.clientEndpoint = e;
            return this;
        }

        public Builder voters(List<QuorumPeer> v) {
            this.voters = v;
            return this;
        }

        public Builder join(boolean j) {
            this.join = j;
            return this;
        }

        public Builder dataDir(Path d) {
            this.dataDir = d;
            return this;
        }

        public Builder electionTimeoutMs(long minMs, long maxMs) {
            this.electionTimeoutMinMs = minMs;
            this.electionTimeoutMaxMs = maxMs;
            return this;
        }

        public Builder requestTimeoutMs(long ms) {
            this.requestTimeoutMs = ms;
            return this;
        }

        public Builder snapshotThreshold(long entries) {
            this.snapshotThreshold = entries;
            return this;
        }

        public Builder logSegmentBytes(long bytes) {
            this.logSegmentBytes = bytes;
            return this;
        }

        /** Group commit: entries outstanding at once, and the largest batch (0 = no coalescing). */
        public Builder groupCommit(int inFlightBatches, int batchBytes) {
            this.maxInFlightBatches = inFlightBatches;
            this.maxBatchBytes = batchBytes;
            return this;
        }

        public Builder controller(ControllerConfig c) {
            this.controller = Objects.requireNonNull(c, "controller");
            return this;
        }

        public MetadataNodeConfig build() {
            return new MetadataNodeConfig(this);
        }
    }
}
