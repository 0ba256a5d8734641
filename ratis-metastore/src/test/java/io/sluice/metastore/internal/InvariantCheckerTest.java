package io.sluice.metastore.internal;

import static io.sluice.metastore.Commands.activeBrokers;
import static io.sluice.metastore.Commands.changeIsr;
import static io.sluice.metastore.Commands.createTopic;
import static io.sluice.metastore.Commands.uuid;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.metastore.InMemoryMetaStore;
import io.sluice.metastore.MetadataDelta;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerState;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each invariant catches the corruption it is about (images are corrupted directly, bypassing apply). */
class InvariantCheckerTest {
    private static final String T = uuid(1);
    private MetadataImage good;

    @BeforeEach
    void setUp() {
        InMemoryMetaStore store = new InMemoryMetaStore(0);
        activeBrokers(store, 3);
        store.apply(createTopic("t", T, List.of(List.of(0, 1, 2), List.of(1, 2, 0))));
        good = store.image();
        assertDoesNotThrow(() -> InvariantChecker.checkAll(good));
    }

    /** The image with partition 0 replaced through {@code edit} (ISR index left as is). */
    private MetadataImage withPartition(UnaryOperator<PartitionRecord.Builder> edit) {
        return withPartition(good, T, edit);
    }

    /** {@code image} with partition 0 of topic {@code topicId} replaced through {@code edit}. */
    private static MetadataImage withPartition(MetadataImage image, String topicId,
            UnaryOperator<PartitionRecord.Builder> edit) {
        MetadataImage.Parts p = image.parts();
        TopicImage t = image.topic(topicId);
        PartitionRecord changed = edit.apply(t.partition(0).toBuilder()).build();
        TopicImage nt = new TopicImage(t.topic(), t.partitions().with(0, changed));
        return new MetadataImage(new MetadataImage.Parts(p.lastAppliedIndex(), p.lastAppliedTerm(), p.clusterId(),
                p.brokers(), p.topicsById().plus(topicId, nt), p.topicIdsByName(), p.isrIndex(), p.groups(),
                p.offsets(), p.nextProducerId()));
    }

    private static void broken(MetadataImage image, String what) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InvariantChecker.checkAll(image));
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void leaderOutsideTheIsrIsCaught() {
        broken(withPartition(b -> b.clearIsr().addAllIsr(List.of(1, 2))), "leader 0 not in ISR");
    }

    @Test
    void isrOutsideTheReplicasIsCaught() {
        broken(withPartition(b -> b.clearReplicas().addAllReplicas(List.of(0, 1))), "not a subset");
    }

    @Test
    void repeatedReplicasAreCaught() {
        broken(withPartition(b -> b.clearReplicas().addAllReplicas(List.of(0, 0, 1))), "replicas");
    }

    @Test
    void aFencedBrokerInAnIsrIsCaught() {
        MetadataImage.Parts p = good.parts();
        BrokerRecord fenced = good.broker(2).toBuilder().setState(BrokerState.BROKER_STATE_FENCED).build();
        MetadataImage image = new MetadataImage(new MetadataImage.Parts(p.lastAppliedIndex(), p.lastAppliedTerm(),
                p.clusterId(), p.brokers().plus(2, fenced), p.topicsById(), p.topicIdsByName(), p.isrIndex(),
                p.groups(), p.offsets(), p.nextProducerId()));
        broken(image, "not an active broker");
        assertThrows(IllegalStateException.class, () -> InvariantChecker.checkUpdate(good, image,
                List.of(new MetadataDelta.BrokerChanged(2, good.broker(2), fenced))));
    }

    @Test
    void anIsrIndexOutOfStepIsCaught() {
        broken(withPartition(b -> b.clearIsr().addAllIsr(List.of(0, 1)).setLeader(0)), "index");
    }

    @Test
    void epochsThatGoBackAreCaught() {
        PartitionRecord before = good.partition(T, 0);
        PartitionRecord after = before.toBuilder().setLeader(1).build();
        assertThrows(IllegalStateException.class, () -> InvariantChecker.checkUpdate(good, good,
                List.of(new MetadataDelta.PartitionChanged(new TopicPartitionKey(T, 0), before, after))));
    }

    @Test
    void eligibleLeadersWithANonEmptyIsrAreCaught() {
        broken(withPartition(b -> b.addEligibleLeaders(2)), "eligible leaders");
    }

    @Test
    void eligibleLeadersBesideAnIsrBelowTheTopicsMinimumAreAllowedOutsideIt() {
        InMemoryMetaStore store = new InMemoryMetaStore(0);
        activeBrokers(store, 3);
        store.apply(createTopic("m", uuid(2), List.of(List.of(0, 1, 2)), Map.of("min.insync.replicas", "3")));
        store.apply(changeIsr(uuid(2), 0, 0, List.of(0, 1)));
        assertEquals(List.of(2), store.image().partition(uuid(2), 0).getEligibleLeadersList());
        assertDoesNotThrow(() -> InvariantChecker.checkAll(store.image()));
        broken(withPartition(store.image(), uuid(2), b -> b.addEligibleLeaders(1)),
                "eligible leaders [2, 1] with ISR [0, 1]");
    }
}
