package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataDelta;
import io.sluice.metastore.MetadataImage;
import io.sluice.proto.internal.v1.BatchResults;
import io.sluice.proto.internal.v1.CommandBatch;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata state machine's transition function: (image, command, log position) → (next image,
 * answer, deltas). One switch hands each command to the class of its concern. Reads no clock, no
 * randomness and no I/O, so every replica computes the same images. A business failure is an
 * answer with an error code and leaves the state unchanged (only the log position advances); an
 * unknown command is a bug or a newer version's command and throws, which stops the node.
 *
 * <p>The invariants are checked on what each command changed ({@link InvariantChecker#checkUpdate})
 * before the outcome is returned; a violation throws. A {@link CommandBatch} (group commit) applies
 * its commands in order, each on the image the previous one left and each checked on its own, so an
 * element's deltas are always checked against the state they were made for; the outcome carries every
 * element's deltas in order and a {@link BatchResults} with one answer per element. Stateless and
 * thread-safe.
 */
public final class MetadataApplier {
    private MetadataApplier() {
    }

    /** The result of applying one log entry. */
    public record Outcome(MetadataImage image, MetaResult result, List<MetadataDelta> deltas) {
    }

    /** Whether {@code command} may travel inside a {@link CommandBatch}. */
    public static boolean batchable(MetaCommand command) {
        return refusedInBatch(command) == null && command.getCommandCase() != MetaCommand.CommandCase.COMMAND_NOT_SET;
    }

    private static String refusedInBatch(MetaCommand command) {
        return switch (command.getCommandCase()) {
            case BATCH -> "a batch cannot contain a batch";
            case REGISTER_BROKER -> "a RegisterBroker must be its own log entry: its broker epoch is its log index";
            default -> null;
        };
    }

    /**
     * Applies the log entry {@code command} at position {@code index}/{@code term} to {@code image} and
     * checks the invariants on what it changed.
     */
    public static Outcome apply(MetadataImage image, MetaCommand command, long index, long term) {
        if (command.getCommandCase() == MetaCommand.CommandCase.BATCH) {
            return applyBatch(image, command.getBatch(), index, term);
        }
        return applyOne(image, command, index, term);
    }

    private static Outcome applyBatch(MetadataImage image, CommandBatch batch, long index, long term) {
        MetadataImage current = image;
        List<MetadataDelta> deltas = new ArrayList<>();
        BatchResults.Builder results = BatchResults.newBuilder();
        for (MetaCommand command : batch.getCommandsList()) {
            String refused = refusedInBatch(command);
            if (refused != null) {
                results.addResults(Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, refused).toBuilder()
                        .setAppliedIndex(index));
                continue;
            }
            Outcome one = applyOne(current, command, index, term);
            current = one.image();
            deltas.addAll(one.deltas());
            results.addResults(one.result());
        }
        MetaResult answer = MetaResult.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE).setAppliedIndex(index)
                .setBatchResults(results).build();
        return new Outcome(current.withPosition(index, term), answer, List.copyOf(deltas));
    }

    private static Outcome applyOne(MetadataImage image, MetaCommand command, long index, long term) {
        MetadataTxn txn = new MetadataTxn(image);
        MetaResult result = switch (command.getCommandCase()) {
            case INIT_CLUSTER -> ClusterCommands.initCluster(txn, command.getInitCluster());
            case REGISTER_BROKER -> BrokerCommands.register(txn, command.getRegisterBroker(), index);
            case CHANGE_BROKER_STATE -> BrokerCommands.changeState(txn, command.getChangeBrokerState());
            case UNREGISTER_BROKER -> BrokerCommands.unregister(txn, command.getUnregisterBroker());
            case CREATE_TOPIC -> TopicCommands.create(txn, command.getCreateTopic());
            case DELETE_TOPIC -> TopicCommands.delete(txn, command.getDeleteTopic());
            case CREATE_PARTITIONS -> TopicCommands.createPartitions(txn, command.getCreatePartitions());
            case ALTER_TOPIC_CONFIGS -> TopicCommands.alterConfigs(txn, command.getAlterTopicConfigs());
            case CHANGE_PARTITIONS -> PartitionCommands.changePartitions(txn, command.getChangePartitions());
            case COMMIT_OFFSETS -> GroupCommands.commitOffsets(txn, command.getCommitOffsets());
            case UPSERT_GROUP -> GroupCommands.upsert(txn, command.getUpsertGroup());
            case DELETE_GROUP -> GroupCommands.delete(txn, command.getDeleteGroup());
            case ALLOCATE_PRODUCER_IDS -> ProducerIdCommands.allocate(txn, command.getAllocateProducerIds());
            case COMMAND_NOT_SET -> throw new IllegalStateException("metadata log entry " + index
                    + " holds no known command (written by a newer version?)");
            default -> throw new IllegalStateException("unknown metadata command " + command.getCommandCase());
        };
        MetaResult answered = result.toBuilder().setAppliedIndex(index).build();
        if (!Results.isOk(result)) {
            return new Outcome(image.withPosition(index, term), answered, List.of());
        }
        MetadataImage next = txn.build(index, term);
        List<MetadataDelta> deltas = List.copyOf(txn.deltas());
        InvariantChecker.checkUpdate(image, next, deltas);
        return new Outcome(next, answered, deltas);
    }
}
