package io.sluice.metastore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.metastore.InMemoryMetaStore;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.RandomCommands;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.CommandBatch;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded model-based test: random command sequences applied to the real state machine and to a
 * simple map model of topics, brokers, offsets and producer ids; after every step the two must agree
 * and every invariant must hold. Some steps are batches (group commit) whose commands the model
 * applies one by one. Replay a failure with {@code -Dsluice.seed=<seed>}.
 */
class MetadataModelTest {
    private static final int RUNS = 25;
    private static final int STEPS = 300;

    /** The model: plain maps updated by the obvious rules. */
    private static final class Model {
        final Map<String, String> topicIdByName = new TreeMap<>();
        final Map<String, Integer> partitionsById = new HashMap<>();
        final Map<Integer, Long> brokerEpochs = new TreeMap<>();
        final Map<String, Long> offsets = new TreeMap<>();
        String clusterId = "";
        long nextProducerId;

        void apply(MetaCommand cmd, MetaResult r, long index) {
            switch (cmd.getCommandCase()) {
                case INIT_CLUSTER -> clusterId = cmd.getInitCluster().getClusterId();
                case REGISTER_BROKER -> brokerEpochs.put(cmd.getRegisterBroker().getBrokerId(),
                        r.getBrokerRegistered().getBrokerEpoch());
                case CREATE_TOPIC -> {
                    topicIdByName.put(cmd.getCreateTopic().getName(), cmd.getCreateTopic().getTopicId());
                    partitionsById.put(cmd.getCreateTopic().getTopicId(), cmd.getCreateTopic().getAssignmentsCount());
                }
                case DELETE_TOPIC -> {
                    String id = cmd.getDeleteTopic().getTopicId();
                    topicIdByName.values().remove(id);
                    partitionsById.remove(id);
                    offsets.keySet().removeIf(k -> k.contains("/" + id + "/"));
                }
                case CREATE_PARTITIONS -> partitionsById.merge(cmd.getCreatePartitions().getTopicId(),
                        cmd.getCreatePartitions().getAssignmentsCount(), Integer::sum);
                case COMMIT_OFFSETS -> cmd.getCommitOffsets().getOffsetsList().forEach(o -> offsets.put(
                        cmd.getCommitOffsets().getGroupId() + "/" + o.getTopicId() + "/" + o.getPartition(),
                        o.getCommittedOffset()));
                case DELETE_GROUP -> offsets.keySet().removeIf(k -> k.startsWith(
                        cmd.getDeleteGroup().getGroupId() + "/"));
                case ALLOCATE_PRODUCER_IDS -> nextProducerId += cmd.getAllocateProducerIds().getBlockSize();
                default -> {
                }
            }
        }

        /** What the model expects for the simple cases; null when the model does not predict. */
        ErrorCode expect(MetaCommand cmd) {
            return switch (cmd.getCommandCase()) {
                case CREATE_TOPIC -> topicIdByName.containsKey(cmd.getCreateTopic().getName())
                        ? ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS : null;
                case DELETE_TOPIC -> partitionsById.containsKey(cmd.getDeleteTopic().getTopicId())
                        ? ErrorCode.ERROR_CODE_NONE : ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION;
                case INIT_CLUSTER -> clusterId.isEmpty() || clusterId.equals(cmd.getInitCluster().getClusterId())
                        ? ErrorCode.ERROR_CODE_NONE : ErrorCode.ERROR_CODE_INVALID_REQUEST;
                case ALLOCATE_PRODUCER_IDS -> Objects.equals(brokerEpochs.get(cmd.getAllocateProducerIds()
                        .getBrokerId()), cmd.getAllocateProducerIds().getBrokerEpoch()) ? ErrorCode.ERROR_CODE_NONE
                        : ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH;
                default -> null;
            };
        }

        void assertMatches(MetadataImage image) {
            assertEquals(clusterId, image.clusterId());
            assertEquals(topicIdByName, new TreeMap<>(image.topicIdsByName()));
            for (TopicImage t : image.topics().values()) {
                assertEquals(partitionsById.get(t.id()), t.partitionCount(), "partitions of " + t.name());
            }
            Map<Integer, Long> epochs = new TreeMap<>();
            for (BrokerRecord b : image.brokers().values()) {
                epochs.put(b.getBrokerId(), b.getBrokerEpoch());
            }
            assertEquals(brokerEpochs, epochs);
            Map<String, Long> real = new TreeMap<>();
            image.allOffsets().forEach((g, m) -> {
                for (Map.Entry<TopicPartitionKey, OffsetRecord> e : m.entrySet()) {
                    real.put(g + "/" + e.getKey().topicId() + "/" + e.getKey().partition(),
                            e.getValue().getCommittedOffset());
                }
            });
            assertEquals(offsets, real);
            assertEquals(nextProducerId, image.nextProducerId());
        }
    }

    @Test
    void randomSequencesAgreeWithTheModel() {
        long base = Long.getLong("sluice.seed", System.nanoTime());
        int runs = System.getProperty("sluice.seed") != null ? 1 : RUNS;
        System.out.println("MetadataModelTest: seeds " + base + ".." + (base + runs - 1));
        for (int run = 0; run < runs; run++) {
            long seed = base + run;
            try {
                runOnce(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("failed with seed " + seed + " (replay: -Dsluice.seed=" + seed + ")", e);
            }
        }
    }

    private static void runOnce(long seed) {
        InMemoryMetaStore store = new InMemoryMetaStore(0);
        RandomCommands commands = new RandomCommands(seed);
        Random batching = new Random(seed);
        Model model = new Model();
        int applied = 0;
        for (int step = 0; step < STEPS; step++) {
            List<MetaCommand> entry = nextEntry(commands, batching, store.image());
            MetaResult r = store.apply(entry.size() == 1 ? entry.get(0) : MetaCommand.newBuilder()
                    .setBatch(CommandBatch.newBuilder().addAllCommands(entry)).build());
            List<MetaResult> results = entry.size() == 1 ? List.of(r) : r.getBatchResults().getResultsList();
            assertEquals(entry.size(), results.size());
            for (int i = 0; i < entry.size(); i++) {
                MetaCommand cmd = entry.get(i);
                ErrorCode expected = model.expect(cmd);
                if (expected != null) {
                    assertEquals(expected, results.get(i).getErrorCode(), "step " + step + ": " + cmd + " -> "
                            + results.get(i).getErrorMessage());
                }
                if (results.get(i).getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                    model.apply(cmd, results.get(i), store.image().lastAppliedIndex());
                    applied++;
                }
            }
            InvariantChecker.checkAll(store.image());
            model.assertMatches(store.image());
        }
        assertTrue(applied > STEPS / 10, "too few commands applied (" + applied + "): the generator is off");
    }

    /**
     * The next log entry: usually one command; one step in four a batch of up to four batchable
     * commands, each generated for the state the previous ones leave (group commit).
     */
    private static List<MetaCommand> nextEntry(RandomCommands commands, Random batching, MetadataImage image) {
        MetaCommand first = commands.next(image);
        if (batching.nextInt(4) != 0 || !MetadataApplier.batchable(first)) {
            return List.of(first);
        }
        List<MetaCommand> entry = new ArrayList<>(List.of(first));
        MetadataImage ahead = MetadataApplier.apply(image, first, image.lastAppliedIndex() + 1, 1).image();
        for (int n = 1 + batching.nextInt(4); entry.size() < n; ) {
            MetaCommand next = commands.next(ahead);
            if (!MetadataApplier.batchable(next)) {
                break;
            }
            entry.add(next);
            ahead = MetadataApplier.apply(ahead, next, image.lastAppliedIndex() + 1, 1).image();
        }
        return entry;
    }
}
