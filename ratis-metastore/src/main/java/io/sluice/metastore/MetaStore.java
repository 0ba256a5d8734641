package io.sluice.metastore;

import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.QuorumRole;
import java.util.concurrent.CompletableFuture;

/**
 * The typed entry point to the replicated metadata, on every node (voter or listener).
 *
 * <p>Reads of {@link #image()} are local and cheap: the image this node has applied, tagged with its
 * log index. Writes go through the Raft leader ({@link #submit}); their futures complete once the
 * command is applied on <em>this</em> node too, so a caller sees its own write in {@link #image()}.
 * {@link #readLinearizable()} gives an image at least as new as every write committed before the call
 * (Raft ReadIndex on the leader, then waiting for the local apply). Listeners get every change in log
 * order. Thread-safe.
 */
public interface MetaStore {

    /** This node's id. */
    int nodeId();

    /** The current local image (never null; {@link MetadataImage#EMPTY} before anything applied). */
    MetadataImage image();

    /**
     * Proposes a command through the Raft leader. Completes with the command's {@link MetaResult}
     * (an error code for business failures) once it is applied locally; with
     * {@code QUORUM_UNAVAILABLE} if the quorum could not commit it in time (outcome unknown).
     * Never completes exceptionally, except with {@link IllegalArgumentException} for a command with
     * no case set.
     */
    CompletableFuture<MetaResult> submit(MetaCommand command);

    /**
     * A linearizable read: completes with a local image whose index is at least the leader's commit
     * index at the time of the call; completes exceptionally (a {@link MetaStoreException} with
     * {@code QUORUM_UNAVAILABLE}) when no leader answers in time.
     */
    CompletableFuture<MetadataImage> readLinearizable();

    /** Completes with the local image once it reflects log index {@code index} or later. */
    CompletableFuture<MetadataImage> awaitIndex(long index);

    /** Registers a listener for every later change; it first sees the change after the current image. */
    void addListener(MetadataListener listener);

    /** Removes a listener. */
    void removeListener(MetadataListener listener);

    /** The Raft group as this node sees it: leader, term, members and what they applied. */
    QuorumInfo quorumInfo();

    /** Whether this node is the Raft leader now. */
    default boolean isLeader() {
        return quorumInfo().leaderId() == nodeId();
    }

    /**
     * Adds a node to the Raft configuration as a voter or listener, announcing {@code clientEndpoint}
     * (its Sluice gRPC endpoint, may be null) to every member. The node must be running: the change
     * commits once it has caught up. Completes with NONE once the new configuration is committed;
     * INVALID_QUORUM_CHANGE if it is already a member or the request is invalid; QUORUM_UNAVAILABLE if
     * it could not be committed (also when the configuration changed meanwhile: retry).
     */
    CompletableFuture<MetaResult> addQuorumMember(int nodeId, QuorumRole role, Endpoint raftEndpoint,
            Endpoint clientEndpoint);

    /**
     * Removes a node from the Raft configuration. INVALID_QUORUM_CHANGE for a non-member or the last
     * voter.
     */
    CompletableFuture<MetaResult> removeQuorumMember(int nodeId);
}
