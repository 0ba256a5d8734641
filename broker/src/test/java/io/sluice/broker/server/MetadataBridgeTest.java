package io.sluice.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.partition.MetadataDelta;
import io.sluice.broker.partition.TopicInfo;
import io.sluice.metastore.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataBridgeTest {
    private final MetadataTestStore meta = new MetadataTestStore(3);
    private final List<MetadataDelta> forwarded = new ArrayList<>();
    private final MetadataBridge bridge = new MetadataBridge(
            new TopicSettingsFactory(Map.of("min.insync.replicas", "2")), forwarded::add);

    @Test
    void nothingReachesTheDataPlaneBeforeTheCaughtUpImageThenEverythingAfterItInOrder() {
        meta.store.addListener(bridge);
        String early = meta.createTopic("early", List.of(List.of(1, 2, 3)), Map.of());
        MetadataImage caughtUp = meta.store.image();
        String late = meta.createTopic("late", List.of(List.of(2, 3, 1), List.of(3, 1, 2)), Map.of());
        assertTrue(forwarded.isEmpty(), "held back until initialized");

        bridge.initialize(caughtUp);
        assertEquals(2, forwarded.size());
        MetadataDelta full = forwarded.get(0);
        assertTrue(full.fullImage());
        assertEquals(3, full.brokers().size());
        assertEquals(List.of(early), full.topics().stream().map(TopicInfo::topicId).toList());
        assertEquals(1, full.partitions().size());
        MetadataDelta next = forwarded.get(1);
        assertFalse(next.fullImage());
        assertEquals(List.of(late), next.topics().stream().map(TopicInfo::topicId).toList());
        assertEquals(2, next.partitions().size());
        assertEquals(meta.store.image().lastAppliedIndex(), bridge.forwardedIndex());

        meta.deleteTopic(early);
        assertEquals(List.of(early), forwarded.get(2).deletedTopicIds());
    }

    @Test
    void topicSettingsFollowTheTopicsConfigsOverTheClusterDefaults() {
        meta.store.addListener(bridge);
        bridge.initialize(meta.store.image());
        String id = meta.createTopic("t", List.of(List.of(1)), Map.of());
        TopicInfo created = forwarded.get(1).topics().get(0);
        assertEquals(2, created.settings().minInsyncReplicas(), "the cluster default");
        meta.setConfig(id, "min.insync.replicas", "1");
        meta.setConfig(id, "message.timestamp.type", "LogAppendTime");
        TopicInfo altered = forwarded.get(forwarded.size() - 1).topics().get(0);
        assertEquals(1, altered.settings().minInsyncReplicas());
        assertTrue(altered.settings().logConfig().logAppendTime());
    }

    @Test
    void initializingTwiceChangesNothing() {
        meta.store.addListener(bridge);
        bridge.initialize(meta.store.image());
        bridge.initialize(meta.store.image());
        assertEquals(1, forwarded.size());
    }
}
