package io.sluice.jepsen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sluice.client.admin.ListedOffset;
import io.sluice.client.admin.OffsetQuery;
import io.sluice.client.common.Serdes;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.consumer.OffsetAndTimestamp;
import io.sluice.client.consumer.SluiceConsumer;
import io.sluice.client.producer.Producer;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.client.producer.SluiceProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeking by timestamp on stored data, against a real node: records with known create times are
 * written in many batches over several segments; the node is SIGKILLed and restarted, so the
 * lookups read segments and time indexes recovered from disk. {@code offsetsForTimes},
 * {@code seekToTimestamp}, the admin's {@code listOffsets} and {@code consume --timestamp} must all
 * find the first record at or after the asked time (none, or the end, when no record is that
 * recent).
 */
class SeekByTimestampIT {
    private static final String TOPIC = "events";
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 600;
    private static final long BASE_MS = 1_700_000_000_000L;
    /** Record {@code i} of partition {@code p} has create time {@code BASE_MS + i * STEP_MS + p}. */
    private static final long STEP_MS = 1_000;
    /** A 4 KiB key, so that the records of a partition fill a few 1 MiB segments. */
    private static final String PADDING = "k".repeat(4096);

    @TempDir
    Path dir;

    @Test
    void lookupsFindTheFirstRecordAtOrAfterATime() throws Exception {
        try (RealCluster cluster = RealCluster.startDev(dir, Map.of())) {
            // The create times are years old: with the default 7-day retention.ms the node would
            // delete every sealed segment (as Kafka does), so this topic keeps records forever.
            cluster.createTopic(TOPIC, PARTITIONS, 1, Map.of("segment.bytes", Integer.toString(1 << 20),
                    "retention.ms", "-1"));
            produce(cluster.bootstrap());
            checkLookups(cluster);
            cluster.kill(1);
            cluster.restart(1);
            cluster.awaitBrokers(1);
            checkLookups(cluster);
            checkCli(cluster);
        }
    }

    private static long timestamp(int partition, int index) {
        return BASE_MS + index * STEP_MS + partition;
    }

    private static void produce(String bootstrap) throws Exception {
        try (Producer<String, String> producer = new SluiceProducer<>(Map.of("bootstrap.servers", bootstrap,
                "linger.ms", "0", "batch.size", "16384"), Serdes.stringSerializer(), Serdes.stringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, timestamp(p, i), PADDING, p + ":" + i, List.of()));
                }
                if (i % 50 == 49) {
                    producer.flush();
                }
            }
            producer.flush();
        }
    }

    private static void checkLookups(RealCluster cluster) throws Exception {
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        try (Consumer<String, String> consumer = new SluiceConsumer<>(Map.of("bootstrap.servers", cluster.bootstrap(),
                "enable.auto.commit", "false"), Serdes.stringDeserializer(), Serdes.stringDeserializer())) {
            // exactly a record's time; between two records; before everything; after everything
            Map<TopicPartition, Long> query = new LinkedHashMap<>();
            query.put(p0, timestamp(0, 417));
            query.put(p1, timestamp(1, 123) - STEP_MS / 2);
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            assertFound(417, timestamp(0, 417), found.get(p0));
            assertFound(123, timestamp(1, 123), found.get(p1));
            assertEquals(List.of(), sweep(consumer, p0), "lookups of records' exact times that found another");
            found = consumer.offsetsForTimes(Map.of(p0, 0L, p1, timestamp(1, RECORDS)));
            assertFound(0, timestamp(0, 0), found.get(p0));
            assertNull(found.get(p1), "no record is that recent");

            consumer.assign(List.of(p0, p1));
            consumer.seekToTimestamp(List.of(p0), timestamp(0, 299) + 1);
            consumer.seekToTimestamp(List.of(p1), timestamp(1, RECORDS) + 1);
            assertEquals(300, consumer.position(p0));
            assertEquals(RECORDS, consumer.position(p1), "past the last record: the end");
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            RealCluster.await("records from offset 300", () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
                return read.size() >= RECORDS - 300;
            });
            assertEquals("0:300", read.get(0).value());
            assertEquals(timestamp(0, 300), read.get(0).timestamp());
            assertEquals(RECORDS - 300, read.size(), "only partition 0, from 300 to its end");
        }
        Map<TopicPartition, ListedOffset> listed = cluster.admin().listOffsets(Map.of(
                p0, OffsetQuery.forTimestamp(timestamp(0, 599)), p1, OffsetQuery.forTimestamp(timestamp(1, 1) - 1)))
                .get();
        assertEquals(599, listed.get(p0).offset());
        assertEquals(timestamp(0, 599), listed.get(p0).timestampMs());
        assertEquals(1, listed.get(p1).offset());
    }

    /** Looks up the exact time of every 7th record of {@code tp} (and the last); returns the misses. */
    private static List<String> sweep(Consumer<String, String> consumer, TopicPartition tp) {
        List<String> misses = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < RECORDS; i += 7) {
            indexes.add(i);
        }
        indexes.add(RECORDS - 1);
        for (int i : indexes) {
            OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, timestamp(tp.partition(), i))).get(tp);
            if (found == null || found.offset() != i) {
                misses.add(i + " -> " + (found == null ? "null" : found.offset() + "@" + found.timestamp()));
            }
        }
        return misses;
    }

    private static void assertFound(long offset, long timestampMs, OffsetAndTimestamp found) {
        assertEquals(offset + "@" + timestampMs, found == null ? "null" : found.offset() + "@" + found.timestamp());
    }

    private static void checkCli(RealCluster cluster) throws Exception {
        Cli.Result result = Cli.run("", "consume", "--bootstrap-server", cluster.bootstrap(), "--topic", TOPIC,
                "--timestamp", Long.toString(timestamp(1, 590)), "--max-messages", "19", "--timeout-ms", "20000",
                "--print-offsets", "--print-timestamp");
        assertEquals(0, result.exitCode(), result.toString());
        Map<String, List<String>> byPartition = new HashMap<>();
        for (String line : result.out().strip().split("\n")) {
            String[] f = line.split("\t");
            byPartition.computeIfAbsent(f[1], k -> new ArrayList<>()).add(line);
        }
        // partition 0 from record 590 (its time is 1 ms earlier than partition 1's record 590), partition 1 too
        List<String> expected0 = new ArrayList<>();
        List<String> expected1 = new ArrayList<>();
        for (int i = 590; i < RECORDS; i++) {
            expected0.add("CreateTime:" + timestamp(0, i) + "\tPartition:0\tOffset:" + i + "\t0:" + i);
            expected1.add("CreateTime:" + timestamp(1, i) + "\tPartition:1\tOffset:" + i + "\t1:" + i);
        }
        assertEquals(expected0.subList(1, expected0.size()), byPartition.get("Partition:0"),
                "partition 0 from its first record at or after the time");
        assertEquals(expected1, byPartition.get("Partition:1"));
        assertEquals("Processed a total of 19 messages.", result.err().strip());
    }
}
