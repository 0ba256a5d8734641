package io.sluice.metastore;

import io.sluice.metastore.controller.internal.Elections;
import io.sluice.proto.internal.v1.AllocateProducerIds;
import io.sluice.proto.internal.v1.AlterTopicConfigs;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.CreatePartitions;
import io.sluice.proto.internal.v1.DeleteGroup;
import io.sluice.proto.internal.v1.GroupMemberRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.UpsertGroup;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ReplicaAssignment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generator of metadata commands that are plausible for the current image (mostly valid,
 * sometimes stale or wrong on purpose), for model-based and property tests.
 */
public final class RandomCommands {
    private final Random random;
    private int nextId = 1;

    public RandomCommands(long seed) {
        this.random = new Random(seed);
    }

    /** The next command for {@code image}. */
    public MetaCommand next(MetadataImage image) {
        int kind = random.nextInt(14);
        List<Integer> brokers = new ArrayList<>(image.brokers().keySet());
        List<TopicImage> topics = new ArrayList<>(image.topics().values());
        switch (kind) {
            case 0:
                return Commands.initCluster(Commands.uuid(random.nextInt(3)));
            case 1:
                return Commands.register(random.nextInt(5), "inc-" + random.nextInt(3));
            case 2:
            case 3:
                return brokerChange(image, brokers);
            case 4:
            case 5:
                return createTopic(brokers);
            case 6:
                return topics.isEmpty() ? Commands.deleteTopic(Commands.uuid(999))
                        : Commands.deleteTopic(pick(topics).id());
            case 7:
                return addPartition(topics, brokers);
            case 8:
                return alterConfigs(topics);
            case 9:
            case 10:
                return changeIsr(image, topics);
            case 11:
                return commit(topics);
            case 12:
                return group();
            default:
                return allocate(image, brokers);
        }
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private MetaCommand brokerChange(MetadataImage image, List<Integer> brokers) {
        if (brokers.isEmpty()) {
            return Commands.register(0, "inc-0");
        }
        BrokerRecord b = image.broker(pick(brokers));
        long epoch = random.nextInt(10) == 0 ? b.getBrokerEpoch() + 1 : b.getBrokerEpoch();
        if (b.getState() == BrokerState.BROKER_STATE_FENCED) {
            return Commands.brokerState(b.getBrokerId(), epoch, BrokerState.BROKER_STATE_ACTIVE, List.of());
        }
        BrokerState to = random.nextBoolean() ? BrokerState.BROKER_STATE_FENCED
                : BrokerState.BROKER_STATE_SHUTTING_DOWN;
        return Commands.brokerState(b.getBrokerId(), epoch, to, Elections.removeBroker(image, b.getBrokerId()));
    }

    private List<Integer> replicas(List<Integer> brokers, int rf) {
        List<Integer> shuffled = new ArrayList<>(brokers);
        Collections.shuffle(shuffled, random);
        return new ArrayList<>(shuffled.subList(0, Math.min(rf, shuffled.size())));
    }

    private MetaCommand createTopic(List<Integer> brokers) {
        int partitions = 1 + random.nextInt(4);
        int rf = 1 + random.nextInt(3);
        List<List<Integer>> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(brokers.isEmpty() ? List.of(0) : replicas(brokers, rf));
        }
        int kind = random.nextInt(4);
        Map<String, String> configs = kind == 0 ? Map.of("retention.ms", "" + random.nextInt(1000))
                : kind == 1 ? Map.of("min.insync.replicas", "" + (1 + random.nextInt(3))) : Map.of();
        return Commands.createTopic("t" + random.nextInt(8), Commands.uuid(nextId++), assignment, configs);
    }

    private MetaCommand addPartition(List<TopicImage> topics, List<Integer> brokers) {
        if (topics.isEmpty() || brokers.isEmpty()) {
            return Commands.deleteTopic(Commands.uuid(998));
        }
        TopicImage t = pick(topics);
        List<Integer> r = replicas(brokers, t.partition(0).getReplicasCount());
        return MetaCommand.newBuilder().setCreatePartitions(CreatePartitions.newBuilder().setTopicId(t.id())
                .addAssignments(ReplicaAssignment.newBuilder().setPartition(t.partitionCount()).addAllBrokerIds(r)))
                .build();
    }

    private MetaCommand alterConfigs(List<TopicImage> topics) {
        String id = topics.isEmpty() ? Commands.uuid(997) : pick(topics).id();
        AlterTopicConfigs.Builder b = AlterTopicConfigs.newBuilder().setTopicId(id);
        if (random.nextBoolean()) {
            b.putSet("min.insync.replicas", "" + random.nextInt(4));
        } else {
            b.addDelete("retention.ms");
        }
        return MetaCommand.newBuilder().setAlterTopicConfigs(b).build();
    }

    private MetaCommand changeIsr(MetadataImage image, List<TopicImage> topics) {
        if (topics.isEmpty()) {
            return Commands.changeIsr(Commands.uuid(996), 0, 0, List.of(0));
        }
        TopicImage t = pick(topics);
        PartitionRecord p = t.partition(random.nextInt(t.partitionCount()));
        List<Integer> isr = new ArrayList<>();
        for (int r : p.getReplicasList()) {
            if (r == p.getLeader() || image.isActive(r) && random.nextBoolean()) {
                isr.add(r);
            }
        }
        int epoch = random.nextInt(8) == 0 ? p.getPartitionEpoch() - 1 : p.getPartitionEpoch();
        return Commands.changeIsr(t.id(), p.getPartition(), epoch, isr);
    }

    private MetaCommand commit(List<TopicImage> topics) {
        if (topics.isEmpty()) {
            return Commands.commit("g" + random.nextInt(3), Commands.uuid(995), 0, 1);
        }
        TopicImage t = pick(topics);
        return Commands.commit("g" + random.nextInt(3), t.id(), random.nextInt(t.partitionCount() + 1),
                random.nextInt(1000) - 10);
    }

    private MetaCommand group() {
        String id = "g" + random.nextInt(3);
        if (random.nextInt(3) == 0) {
            return MetaCommand.newBuilder().setDeleteGroup(DeleteGroup.newBuilder().setGroupId(id)).build();
        }
        GroupRecord.Builder g = GroupRecord.newBuilder().setGroupId(id).setGroupEpoch(1 + random.nextInt(4));
        if (random.nextBoolean()) {
            g.addMembers(GroupMemberRecord.newBuilder().setMemberId("m").setMemberEpoch(1));
        }
        return MetaCommand.newBuilder().setUpsertGroup(UpsertGroup.newBuilder()
                .setExpectedGroupEpoch(random.nextInt(4)).setGroup(g)).build();
    }

    private MetaCommand allocate(MetadataImage image, List<Integer> brokers) {
        int b = brokers.isEmpty() ? 0 : pick(brokers);
        long epoch = image.broker(b) == null ? 1 : image.broker(b).getBrokerEpoch();
        return MetaCommand.newBuilder().setAllocateProducerIds(AllocateProducerIds.newBuilder().setBrokerId(b)
                .setBrokerEpoch(epoch).setBlockSize(1 + random.nextInt(100))).build();
    }
}
