package io.sluice.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.Serdes;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.consumer.OffsetAndMetadata;
import io.sluice.client.consumer.SluiceConsumer;
import io.sluice.client.errors.GroupNotEmptyException;
import io.sluice.client.errors.GroupNotFoundException;
import io.sluice.client.errors.TopicExistsException;
import io.sluice.client.errors.UnknownTopicOrPartitionException;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.client.producer.SluiceProducer;
import io.sluice.client.testing.FakeBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin client, with its thread and gRPC transport, against the one-node fake broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SluiceAdminTest {
    private FakeBroker broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = FakeBroker.start(2_000);
        admin = Admin.create(Map.of("bootstrap.servers", broker.address(), "default.api.timeout.ms", 10_000L));
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private static Throwable cause(Runnable r) {
        CompletionException e = assertThrows(CompletionException.class, r::run);
        return e.getCause();
    }

    private void produce(String topic, int partition, int count) {
        try (SluiceProducer<String, String> p = new SluiceProducer<>(Map.of("bootstrap.servers", broker.address()),
                Serdes.stringSerializer(), Serdes.stringSerializer())) {
            for (int i = 0; i < count; i++) {
                p.send(new ProducerRecord<>(topic, partition, null, "v" + i));
            }
        }
    }

    @Test
    void topicsAreCreatedListedDescribedGrownAndDeleted() {
        Results<String, CreatedTopic> created = admin.createTopics(List.of(new NewTopic("a", 3, 1,
                Map.of("retention.ms", "1000")), new NewTopic("bad name!", 1, 1))).join();
        assertEquals(3, created.get("a").partitions());
        assertEquals(Set.of("bad name!"), created.failures().keySet());
        assertInstanceOf(TopicExistsException.class,
                admin.createTopics(List.of(new NewTopic("a", 1, 1))).join().failures().get("a"));
        assertEquals(Set.of("a"), admin.listTopics().join());

        TopicDescription a = admin.describeTopics(List.of("a")).join().get("a");
        assertEquals(3, a.partitions().size());
        assertEquals(List.of(1), a.partitions().get(0).isr());
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                admin.describeTopics(List.of("nope")).join().failures().get("nope"));

        assertTrue(admin.createPartitions(Map.of("a", 5)).join().allSucceeded());
        assertEquals(5, admin.describeTopics(List.of("a")).join().get("a").partitions().size());
        assertTrue(admin.deleteTopics(List.of("a")).join().allSucceeded());
        assertEquals(Set.of(), admin.listTopics().join());
    }

    @Test
    void configsAreDescribedAndAltered() {
        admin.createTopics(List.of(new NewTopic("c", 1, 1))).join().allOrThrow();
        ConfigEntry retention = admin.describeTopicConfigs(List.of("c")).join().get("c").get("retention.ms");
        assertEquals(ConfigEntry.Source.DEFAULT, retention.source());
        assertTrue(admin.alterTopicConfigs(Map.of("c", List.of(ConfigChange.set("retention.ms", "5")))).join()
                .allSucceeded());
        ConfigEntry changed = admin.describeTopicConfigs(List.of("c")).join().get("c").get("retention.ms");
        assertEquals("5", changed.value());
        assertEquals(ConfigEntry.Source.TOPIC, changed.source());
        assertTrue(admin.alterTopicConfigs(Map.of("c", List.of(ConfigChange.set("no.such.key", "1")))).join()
                .failures().containsKey("c"));
    }

    @Test
    void offsetsAreListedAndRecordsDeleted() {
        broker.state().createTopic("o", 1, Map.of());
        produce("o", 0, 10);
        TopicPartition tp = new TopicPartition("o", 0);
        assertEquals(10, admin.listOffsets(Map.of(tp, OffsetQuery.latest())).join().get(tp).offset());
        assertEquals(Map.of(tp, 4L), admin.deleteRecords(Map.of(tp, 4L)).join());
        assertEquals(4, admin.listOffsets(Map.of(tp, OffsetQuery.earliest())).join().get(tp).offset());
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                cause(() -> admin.listOffsets(Map.of(new TopicPartition("nope", 0), OffsetQuery.latest())).join()));
    }

    @Test
    void theClusterIsDescribed() {
        ClusterDescription c = admin.describeCluster().join();
        assertEquals("fake-cluster", c.clusterId());
        assertEquals(1, c.brokers().size());
        assertEquals("ACTIVE", c.brokers().get(0).state());
        assertTrue(c.quorumMembers().get(0).voter());
    }

    @Test
    void groupsAreListedDescribedWithLagResetAndDeleted() {
        broker.state().createTopic("g", 2, Map.of());
        produce("g", 0, 6);
        produce("g", 1, 4);
        admin.alterGroupOffsets("billing", Map.of(new TopicPartition("g", 0), new OffsetAndMetadata(2))).join();
        assertEquals(List.of(new GroupListing("billing", "EMPTY", 0)), admin.listGroups().join());
        GroupDescription d = admin.describeGroup("billing").join();
        assertEquals(4, d.partitions().get(0).lag(), "end 6 minus committed 2");
        assertInstanceOf(GroupNotFoundException.class, cause(() -> admin.describeGroup("nobody").join()));

        TopicPartition p0 = new TopicPartition("g", 0);
        TopicPartition p1 = new TopicPartition("g", 1);
        assertEquals(Map.of(p0, 6L, p1, 4L), admin.resetGroupOffsets("billing", "g", OffsetQuery.latest(), true)
                .join());
        assertEquals(Map.of(p0, new OffsetAndMetadata(2, -1, "")), admin.listGroupOffsets("billing").join(),
                "a dry run commits nothing");
        assertEquals(Map.of(p0, 3L, p1, 3L), admin.resetGroupOffsets("billing", "g", 3, false).join());
        assertEquals(Map.of(p0, 0L, p1, 0L), admin.resetGroupOffsets("billing", "g", OffsetQuery.earliest(), false)
                .join());
        assertEquals(0, admin.listGroupOffsets("billing").join().get(p1).offset());
        assertTrue(admin.deleteGroups(List.of("billing")).join().allSucceeded());
        assertInstanceOf(GroupNotFoundException.class, admin.deleteGroups(List.of("billing")).join().failures()
                .get("billing"));
    }

    @Test
    void resettingTheOffsetsOfAGroupWithMembersIsRefused() {
        broker.state().createTopic("m", 1, Map.of());
        try (SluiceConsumer<String, String> member = new SluiceConsumer<>(Map.of("bootstrap.servers",
                broker.address(), ConsumerConfig.GROUP_ID, "busy"), Serdes.stringDeserializer(),
                Serdes.stringDeserializer())) {
            member.subscribe(List.of("m"));
            long deadline = System.currentTimeMillis() + 30_000;
            while (member.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
                member.poll(Duration.ofMillis(50));
            }
            assertInstanceOf(GroupNotEmptyException.class,
                    cause(() -> admin.resetGroupOffsets("busy", "m", OffsetQuery.earliest(), false).join()));
            assertEquals(1, admin.describeGroup("busy").join().members().size());
        }
    }
}
