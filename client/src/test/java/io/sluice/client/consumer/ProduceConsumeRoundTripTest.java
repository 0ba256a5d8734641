package io.sluice.client.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.Serdes;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.WakeupException;
import io.sluice.client.producer.ProducerConfig;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.client.producer.SluiceProducer;
import io.sluice.client.testing.FakeBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The producer and consumer facades, with their real threads and gRPC transport, against a
 * one-node fake broker on loopback. Waits are bounded by generous deadlines, never asserted on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProduceConsumeRoundTripTest {
    private FakeBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = FakeBroker.start(3_000);
        broker.state().createTopic("t", 3, Map.of());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Map<String, Object> common() {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", broker.address());
        m.put("retry.backoff.ms", 20L);
        return m;
    }

    private SluiceConsumer<String, String> consumer(Map<String, Object> extra) {
        Map<String, Object> m = common();
        m.put(ConsumerConfig.FETCH_MAX_WAIT_MS, 100);
        m.putAll(extra);
        return new SluiceConsumer<>(m, Serdes.stringDeserializer(), Serdes.stringDeserializer());
    }

    private List<RecordMetadata> produce(int count, String prefix) {
        Map<String, Object> m = common();
        m.put(ProducerConfig.LINGER_MS, 2);
        m.put(ProducerConfig.COMPRESSION_TYPE, "lz4");
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (SluiceProducer<String, String> producer = new SluiceProducer<>(m, Serdes.stringSerializer(),
                Serdes.stringSerializer())) {
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>("t", "key-" + (i % 7), prefix + i)));
            }
            producer.flush();
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static List<ConsumerRecord<String, String>> pollUntil(Consumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (out.size() < count && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        }
        return out;
    }

    private static void waitFor(BooleanSupplier condition, Runnable step) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "condition not reached in time");
            step.run();
        }
    }

    @Test
    void producedRecordsAreReadBackInOrderPerKey() {
        List<RecordMetadata> sent = produce(60, "v");
        assertEquals(60, sent.size());
        try (SluiceConsumer<String, String> consumer =
                consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET, "earliest"))) {
            consumer.assign(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1),
                    new TopicPartition("t", 2)));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, 60);
            assertEquals(60, got.size());
            Map<String, List<Integer>> byKey = new HashMap<>();
            for (ConsumerRecord<String, String> r : got) {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Integer.parseInt(r.value().substring(1)));
            }
            byKey.values().forEach(list -> assertEquals(list.stream().sorted().toList(), list, "per-key order"));
            for (TopicPartition tp : consumer.assignment()) {
                assertEquals(0, consumer.currentLag(tp).orElseThrow());
            }
        }
    }

    @Test
    void aGroupMemberCommitsAndTheNextMemberResumesThere() {
        produce(30, "a");
        try (SluiceConsumer<String, String> first = consumer(Map.of(ConsumerConfig.GROUP_ID, "g",
                ConsumerConfig.AUTO_OFFSET_RESET, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT, false))) {
            first.subscribe(List.of("t"));
            assertEquals(30, pollUntil(first, 30).size());
            first.commitSync();
            assertEquals(3, first.assignment().size());
        }
        produce(5, "b");
        try (SluiceConsumer<String, String> second = consumer(Map.of(ConsumerConfig.GROUP_ID, "g",
                ConsumerConfig.AUTO_OFFSET_RESET, "earliest"))) {
            second.subscribe(List.of("t"));
            List<ConsumerRecord<String, String>> rest = pollUntil(second, 5);
            assertEquals(5, rest.size());
            assertTrue(rest.stream().allMatch(r -> r.value().startsWith("b")), "nothing read twice");
        }
    }

    @Test
    void partitionsMoveIncrementallyWhenAMemberJoinsAndLeaves() {
        List<String> events = new CopyOnWriteArrayList<>();
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                events.add("revoked" + partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                events.add("assigned" + partitions);
            }
        };
        Map<String, Object> group = Map.of(ConsumerConfig.GROUP_ID, "g2",
                ConsumerConfig.AUTO_OFFSET_RESET, "earliest");
        try (SluiceConsumer<String, String> a = consumer(group)) {
            a.subscribe(List.of("t"), listener);
            waitFor(() -> a.assignment().size() == 3, () -> a.poll(Duration.ofMillis(50)));
            try (SluiceConsumer<String, String> b = consumer(group)) {
                b.subscribe(List.of("t"));
                waitFor(() -> a.assignment().size() + b.assignment().size() == 3
                        && !b.assignment().isEmpty(), () -> {
                    a.poll(Duration.ofMillis(20));
                    b.poll(Duration.ofMillis(20));
                });
                Set<TopicPartition> kept = a.assignment();
                assertTrue(events.stream().anyMatch(e -> e.startsWith("revoked")), events.toString());
                String lastRevoked = events.stream().filter(e -> e.startsWith("revoked")).reduce((x, y) -> y).get();
                for (TopicPartition tp : kept) {
                    assertTrue(!lastRevoked.contains(tp.toString()), "a kept partition was never revoked: " + events);
                }
            }
            waitFor(() -> a.assignment().size() == 3, () -> a.poll(Duration.ofMillis(50)));
        }
    }

    @Test
    void seekToTimestampAndWakeup() throws Exception {
        List<RecordMetadata> sent = produce(10, "v");
        long middle = sent.get(5).timestamp();
        try (SluiceConsumer<String, String> consumer = consumer(Map.of())) {
            TopicPartition tp = sent.get(5).topicPartition();
            consumer.assign(List.of(tp));
            consumer.seekToTimestamp(List.of(tp), middle);
            assertTrue(consumer.position(tp) <= sent.get(5).offset());
            consumer.wakeup();
            assertThrows(WakeupException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
    }

    @Test
    void noRecordThatRecentIsNullAndSeeksToTheEnd() throws Exception {
        List<RecordMetadata> sent = produce(10, "v");
        TopicPartition tp = sent.get(9).topicPartition();
        long afterAll = sent.stream().mapToLong(RecordMetadata::timestamp).max().orElseThrow() + 1;
        try (SluiceConsumer<String, String> consumer = consumer(Map.of())) {
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(tp, afterAll));
            assertTrue(found.containsKey(tp) && found.get(tp) == null, "no record is that recent: " + found);
            consumer.assign(List.of(tp));
            consumer.seekToTimestamp(List.of(tp), afterAll);
            assertEquals(consumer.endOffsets(List.of(tp)).get(tp), consumer.position(tp));
        }
    }
}
