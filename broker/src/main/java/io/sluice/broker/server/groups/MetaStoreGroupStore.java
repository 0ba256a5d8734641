package io.sluice.broker.server.groups;

import io.sluice.broker.group.GroupStore;
import io.sluice.metastore.MetaStore;
import io.sluice.proto.internal.v1.CommitOffsets;
import io.sluice.proto.internal.v1.DeleteGroup;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.UpsertGroup;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Group state and committed offsets in the metadata quorum: writes are {@link MetaCommand}s submitted
 * through the Raft leader (they complete once applied on this node, with the apply's result, in
 * submission order), reads come from this node's image. Thread-safe.
 */
public final class MetaStoreGroupStore implements GroupStore {
    private final MetaStore store;

    public MetaStoreGroupStore(MetaStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<MetaResult> upsertGroup(UpsertGroup command) {
        return store.submit(MetaCommand.newBuilder().setUpsertGroup(command).build());
    }

    @Override
    public CompletableFuture<MetaResult> commitOffsets(CommitOffsets command) {
        return store.submit(MetaCommand.newBuilder().setCommitOffsets(command).build());
    }

    @Override
    public CompletableFuture<MetaResult> deleteGroup(DeleteGroup command) {
        return store.submit(MetaCommand.newBuilder().setDeleteGroup(command).build());
    }

    @Override
    public Optional<GroupRecord> group(String groupId) {
        return Optional.ofNullable(store.image().group(groupId));
    }

    @Override
    public List<GroupRecord> groups() {
        return List.copyOf(store.image().groups().values());
    }

    @Override
    public List<OffsetRecord> offsets(String groupId) {
        return List.copyOf(store.image().offsets(groupId).values());
    }

    @Override
    public Set<String> groupIdsWithOffsets() {
        return Set.copyOf(store.image().allOffsets().keySet());
    }
}
