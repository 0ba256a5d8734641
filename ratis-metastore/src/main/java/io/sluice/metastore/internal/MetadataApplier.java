package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataDelta;
import io.sluice.metastore.MetadataImage;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import java.util.List;

/**
 * The metadata state machine's transition function: (image, command, log position) → (next image,
 * answer, deltas). One switch hands each command to the class of its concern. Reads no clock, no
 * randomness and no I/O, so every replica computes the same images. A business failure is an
 * answer with an error code and leaves the state unchanged (only the log position advances); an
 * unknown command is a bug or a newer version's command and throws, which stops the node.
 * Stateless and thread-safe.
 */
public final class MetadataApplier {
    private MetadataApplier() {
    }

    /** The result of applying one command. */
    public record Outcome(MetadataImage image, MetaResult result, List<MetadataDelta> deltas) {
    }

    /** Applies {@code command} at log position {@code index}/{@code term} to {@code image}. */
    public static Outcome apply(MetadataImage image, MetaCommand command, long index, long term) {
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
        return new Outcome(txn.build(index, term), answered, List.copyOf(txn.deltas()));
    }
}
