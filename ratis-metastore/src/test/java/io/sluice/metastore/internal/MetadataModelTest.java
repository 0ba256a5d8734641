package io.sluice.metastore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.metastore.InMemoryMetaStore;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.RandomCommands;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.v1.ErrorCode;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded model-based test: random command sequences applied to the real state machine and to a
 * simple map model of topics, brokers, offsets and producer ids; after every step the two must agree
 * and every invariant must hold. Replay a failure with {@code -Dsluice.seed=<seed>}.
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
        Model model = new Model();
        int applied = 0;
        for (int step = 0; step < STEPS; step++) {
            MetaCommand cmd = commands.next(store.image());
            ErrorCode expected = model.expect(cmd);
            MetaResult r = store.apply(cmd);
            if (expected != null) {
                assertEquals(expected, r.getErrorCode(), "step " + step + ": " + cmd + " -> " + r.getErrorMessage());
            }
            if (r.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                model.apply(cmd, r, store.image().lastAppliedIndex());
                applied++;
            }
            InvariantChecker.checkAll(store.image());
            model.assertMatches(store.image());
        }
        assertTrue(applied > STEPS / 10, "too few commands applied (" + applied + "): the generator is off");
    }
}
