package io.sluice.client.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.Serdes;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.internal.FakeConsumerCluster;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.common.SystemClock;
import io.sluice.proto.v1.GroupServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How the application thread waits for the consumer's background thread: a real consumer, with its
 * thread, over a fake cluster. The background thread runs a round when an answer arrives or work
 * is due; an application thread that is waiting must not make it run rounds on end.
 */
class ConsumerWaitTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void aCommitWaitedForWhileRecordsAreBufferedDoesNotSpinTheBackgroundThread() {
        FakeConsumerCluster cluster = new FakeConsumerCluster().topic("t", 1, 1);
        cluster.append(P0, 1_000, "a", "b", "c");
        cluster.append(P1, 1_000, "x", "y", "z");
        cluster.transport.stopResponding(GroupServiceGrpc.getOffsetCommitMethod()); // commits stay unanswered
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS, "broker1:9092",
                ConsumerConfig.GROUP_ID, "g", ConsumerConfig.ENABLE_AUTO_COMMIT, false,
                ConsumerConfig.MAX_POLL_RECORDS, 1, ConsumerConfig.AUTO_OFFSET_RESET, "earliest");
        try (SluiceConsumer<byte[], byte[]> consumer = new SluiceConsumer<>(new ConsumerConfig(settings),
                Serdes.byteArrayDeserializer(), Serdes.byteArrayDeserializer(), cluster.transport,
                SystemClock.INSTANCE, new Random(1))) {
            consumer.assign(List.of(P0, P1));
            ConsumerRecords<byte[], byte[]> first = ConsumerRecords.empty();
            for (int i = 0; i < 100 && first.isEmpty(); i++) {
                first = consumer.poll(Duration.ofMillis(100));
            }
            assertEquals(1, first.count(), "one record handed out, the rest of both batches buffered");

            long before = consumer.backgroundRounds();
            assertThrows(SluiceTimeoutException.class,
                    () -> consumer.commitSync(Map.of(P0, new OffsetAndMetadata(1)), Duration.ofMillis(500)));
            long rounds = consumer.backgroundRounds() - before;
            // Nothing arrives and nothing falls due in those 500 ms: the commit is the only request
            // out, and both partitions hold records, so neither is fetched. Waking the background
            // thread on every pass made it run thousands of rounds here.
            assertTrue(rounds < 50, rounds + " rounds of the background thread while the commit was awaited");
        }
    }
}
