package io.sluice.broker.group;

import io.sluice.proto.internal.v1.CommitOffsets;
import io.sluice.proto.internal.v1.DeleteGroup;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.UpsertGroup;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where group state and committed offsets live: the metadata quorum. Writes are {@code MetaCommand}s
 * proposed to the Raft log; reads come from this node's applied metadata image.
 *
 * <p>Contract the coordinator relies on:
 * <ul>
 *   <li>A write's future completes after the command was committed <em>and applied locally</em>, with
 *       the {@link MetaResult} of the apply (a business refusal is a result with an error code, not an
 *       exception), or exceptionally when the outcome is unknown or the quorum refused it (lost
 *       leadership, timeout). It may complete on any thread.</li>
 *   <li>Writes are applied in the order they were submitted, or not at all: the coordinator submits
 *       from one thread and has at most one write in flight per group.</li>
 *   <li>Conditional semantics, checked in {@code apply} against the stored state:
 *     <ul>
 *       <li>{@code UpsertGroup} applies only if the stored group's epoch equals
 *           {@code expected_group_epoch} (0: only if no record is stored); otherwise it is refused with
 *           a non-NONE code (the in-memory fake uses {@code NOT_COORDINATOR}: the writer's view is not
 *           current). The coordinator treats any refusal as a stale view and reloads the group.</li>
 *       <li>{@code CommitOffsets} with a member id applies only if that member is stored
 *           ({@code UNKNOWN_MEMBER_ID} otherwise) with {@code member_epoch} equal to its epoch or its
 *           previous epoch ({@code STALE_MEMBER_EPOCH} otherwise); with an empty member id only if the
 *           group has no members ({@code NON_EMPTY_GROUP} otherwise). It creates no group record.</li>
 *       <li>{@code DeleteGroup} is refused with {@code GROUP_ID_NOT_FOUND} if the group has neither a
 *           record nor offsets, and with {@code NON_EMPTY_GROUP} if its record has members.</li>
 *     </ul></li>
 *   <li>Reads are thread-safe, non-blocking, and reflect at least every write whose future completed.</li>
 * </ul>
 */
public interface GroupStore {
    /** Proposes {@code UpsertGroup}: replaces the group's state if its epoch still matches. */
    CompletableFuture<MetaResult> upsertGroup(UpsertGroup command);

    /** Proposes {@code CommitOffsets}. */
    CompletableFuture<MetaResult> commitOffsets(CommitOffsets command);

    /** Proposes {@code DeleteGroup}: removes the group's record and every committed offset. */
    CompletableFuture<MetaResult> deleteGroup(DeleteGroup command);

    /** The stored record of one group, if it has one. */
    Optional<GroupRecord> group(String groupId);

    /** Every stored group record. */
    List<GroupRecord> groups();

    /** Every committed offset of one group (empty if none). */
    List<OffsetRecord> offsets(String groupId);

    /** The ids of groups that have at least one committed offset (with or without a record). */
    Set<String> groupIdsWithOffsets();
}
