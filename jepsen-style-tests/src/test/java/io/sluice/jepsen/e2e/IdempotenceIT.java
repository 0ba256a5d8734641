package io.sluice.jepsen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.client.common.Serdes;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.consumer.SluiceConsumer;
import io.sluice.client.producer.Producer;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.client.producer.SluiceProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotent produce against three real nodes: a producer streams numbered records to the three
 * partitions of an RF=3 topic with {@code min.insync.replicas=2} and {@code acks=all}, with a
 * request timeout short enough that requests time out and are retried on this loaded machine, and
 * the leader of partition 0 is SIGKILLed mid-stream. Every record must be acknowledged, and
 * reading the partitions back must give each record exactly once, in send order, at the offset its
 * acknowledgement named.
 */
class IdempotenceIT {
    private static final String TOPIC = "idempotent";
    private static final int PARTITIONS = 3;
    private static final int PER_PARTITION = 3_000;
    private static final int CHUNK = 50;

    @TempDir
    Path dir;

    @Test
    void everyRecordOnceAndInOrderAcrossALeaderKill() throws Exception {
        try (RealCluster cluster = RealCluster.start(dir, 3, Map.of())) {
            cluster.createTopic(TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
            int victim = cluster.leader(TOPIC, 0);

            List<List<CompletableFuture<RecordMetadata>>> sent = new ArrayList<>();
            AtomicInteger acknowledged = new AtomicInteger();
            try (Producer<String, String> producer = new SluiceProducer<>(producerSettings(cluster),
                    Serdes.stringSerializer(), Serdes.stringSerializer())) {
                for (int p = 0; p < PARTITIONS; p++) {
                    sent.add(new ArrayList<>());
                }
                boolean killed = false;
                for (int seq = 0; seq < PER_PARTITION; seq += CHUNK) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        for (int i = seq; i < seq + CHUNK; i++) {
                            CompletableFuture<RecordMetadata> f = producer.send(
                                    new ProducerRecord<>(TOPIC, p, "k" + i, p + ":" + i));
                            f.thenRun(acknowledged::incrementAndGet);
                            sent.get(p).add(f);
                        }
                    }
                    if (!killed && seq >= PER_PARTITION / 3) {
                        // Mid-stream: records of every partition are in flight and queued.
                        cluster.kill(victim);
                        killed = true;
                    }
                    Thread.sleep(10);
                }
                producer.flush();
            }
            System.out.println("acknowledged " + acknowledged.get() + " records");
            Map<TopicPartition, List<Long>> ackedOffsets = ackedOffsets(sent);
            assertNotEquals(victim, cluster.leader(TOPIC, 0), "partition 0 moved to a new leader");
            Map<Integer, List<ConsumerRecord<String, String>>> read = readAll(cluster);
            for (int p = 0; p < PARTITIONS; p++) {
                List<ConsumerRecord<String, String>> records = read.get(p);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < PER_PARTITION; i++) {
                    expected.add(p + ":" + i);
                }
                assertEquals(expected, records.stream().map(ConsumerRecord::value).toList(),
                        "partition " + p + " holds every record once, in send order");
                List<Long> offsets = records.stream().map(ConsumerRecord::offset).toList();
                assertEquals(ackedOffsets.get(new TopicPartition(TOPIC, p)), offsets,
                        "each record sits at the offset its acknowledgement named");
            }
        }
    }

    private static Map<String, Object> producerSettings(RealCluster cluster) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", cluster.bootstrap());
        settings.put("acks", "all");
        settings.put("enable.idempotence", "true");
        // Short enough that acks=all requests time out on a loaded 2-core box: forced retries.
        settings.put("request.timeout.ms", "1000");
        settings.put("delivery.timeout.ms", "120000");
        settings.put("linger.ms", "2");
        settings.put("batch.size", "2048");
        settings.put("max.in.flight.requests.per.connection", "5");
        settings.put("retry.backoff.ms", "50");
        settings.put("retry.backoff.max.ms", "500");
        return settings;
    }

    private static Map<TopicPartition, List<Long>> ackedOffsets(List<List<CompletableFuture<RecordMetadata>>> sent)
            throws InterruptedException {
        Map<TopicPartition, List<Long>> offsets = new HashMap<>();
        for (int p = 0; p < sent.size(); p++) {
            List<Long> list = new ArrayList<>();
            for (int i = 0; i < sent.get(p).size(); i++) {
                try {
                    list.add(sent.get(p).get(i).get(60, TimeUnit.SECONDS).offset());
                } catch (ExecutionException | TimeoutException e) {
                    fail("record " + p + ":" + i + " was not acknowledged", e);
                }
            }
            offsets.put(new TopicPartition(TOPIC, p), list);
        }
        return offsets;
    }

    private static Map<Integer, List<ConsumerRecord<String, String>>> readAll(RealCluster cluster) throws Exception {
        Map<String, Object> settings = Map.of("bootstrap.servers", cluster.bootstrap(),
                "enable.auto.commit", "false", "auto.offset.reset", "earliest");
        Map<Integer, List<ConsumerRecord<String, String>>> read = new HashMap<>();
        try (Consumer<String, String> consumer = new SluiceConsumer<>(settings, Serdes.stringDeserializer(),
                Serdes.stringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
                read.put(p, new ArrayList<>());
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            RealCluster.await("reading every partition to its end " + ends, () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    read.get(r.partition()).add(r);
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            });
        }
        return read;
    }
}
