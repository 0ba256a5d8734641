package io.sluice.metastore;

import io.sluice.metastore.internal.MetadataApplier;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.QuorumRole;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link MetaStore} without Raft: commands apply at once, in the caller's thread, with the same
 * applier and invariant checks as the replicated store; the log index is a counter and the term is 1.
 * This node is always the leader of a one-voter quorum. For tests and deterministic simulations of
 * code that uses a MetaStore (brokers, group coordinators, the controller). Thread-safe (applies are
 * serialized).
 */
public final class InMemoryMetaStore implements MetaStore {
    private final int nodeId;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    /** An empty store for node {@code nodeId}. */
    public InMemoryMetaStore(int nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    @Override
    public MetadataImage image() {
        return image;
    }

    /** Applies {@code command} now and returns its result. */
    public synchronized MetaResult apply(MetaCommand command) {
        MetadataImage before = image;
        MetadataApplier.Outcome outcome = MetadataApplier.apply(before, command, before.lastAppliedIndex() + 1, 1);
        image = outcome.image();
        if (!outcome.deltas().isEmpty()) {
            MetadataUpdate update = new MetadataUpdate(image.lastAppliedIndex(), before, image, outcome.deltas(),
                    false);
            listeners.forEach(l -> l.onUpdate(update));
        }
        return outcome.result();
    }

    @Override
    public CompletableFuture<MetaResult> submit(MetaCommand command) {
        if (command.getCommandCase() == MetaCommand.CommandCase.COMMAND_NOT_SET) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a MetaCommand needs a command"));
        }
        return CompletableFuture.completedFuture(apply(command));
    }

    @Override
    public CompletableFuture<MetadataImage> readLinearizable() {
        return CompletableFuture.completedFuture(image);
    }

    @Override
    public CompletableFuture<MetadataImage> awaitIndex(long index) {
        MetadataImage now = image;
        if (now.lastAppliedIndex() >= index) {
            return CompletableFuture.completedFuture(now);
        }
        return CompletableFuture.failedFuture(new IllegalStateException("index " + index + " is beyond the log"));
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(MetadataListener listener) {
        listeners.remove(listener);
    }

    @Override
    public QuorumInfo quorumInfo() {
        long index = image.lastAppliedIndex();
        return new QuorumInfo(nodeId, nodeId, 1, index, index, List.of(new QuorumInfo.Member(nodeId,
                QuorumRole.QUORUM_ROLE_VOTER, null, null, index)));
    }

    @Override
    public CompletableFuture<MetaResult> addQuorumMember(int memberId, QuorumRole role, Endpoint raftEndpoint,
            Endpoint clientEndpoint) {
        return CompletableFuture.completedFuture(MetaResult.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_INVALID_QUORUM_CHANGE)
                .setErrorMessage("an in-memory store has no quorum").build());
    }

    @Override
    public CompletableFuture<MetaResult> removeQuorumMember(int memberId) {
        return addQuorumMember(memberId, QuorumRole.QUORUM_ROLE_UNSPECIFIED, null, null);
    }
}
