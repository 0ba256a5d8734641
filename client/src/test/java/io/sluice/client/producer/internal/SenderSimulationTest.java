package io.sluice.client.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.DeliveryTimeoutException;
import io.sluice.client.producer.ProducerConfig;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ProduceRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulation of the idempotent producer against a cluster that loses answers, drops
 * requests, refuses with retriable errors (among them the out-of-order sequence an out-of-date
 * broker answers) and moves leaders. Whatever happens, every record ends
 * up in its partition exactly once, in send order, at the offset its future reports. A failure
 * prints its seed; replay it with {@code -Dsluice.seed=<seed>}.
 */
class SenderSimulationTest {
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 120;

    @Test
    void everyRecordOnceAndInOrderDespiteFaults() {
        forSeeds(seed -> simulate(seed, Integer.MAX_VALUE));
    }

    /**
     * With a short delivery timeout some records fail (their outcome may be unknown); still none is
     * written twice or out of order, every acknowledged one is where its future says, and none whose
     * delivery timeout says it cannot have been written is in the log.
     */
    @Test
    void expiriesAndEpochBumpsNeverDuplicateOrReorder() {
        forSeeds(seed -> simulate(seed, 4_000));
    }

    private static void forSeeds(LongConsumer run) {
        String fixed = System.getProperty("sluice.seed");
        long first = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
        int runs = fixed != null ? 1 : 20;
        for (int i = 0; i < runs; i++) {
            long seed = first + i;
            try {
                run.accept(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("simulation failed; replay with -Dsluice.seed=" + seed + ": " + e, e);
            }
        }
    }

    private static void simulate(long seed, int deliveryTimeoutMs) {
        Random random = new Random(seed);
        FakeProduceCluster cluster = new FakeProduceCluster().broker(1).broker(2).broker(3).topic("t", PARTITIONS, 1);
        SenderHarness h = new SenderHarness(cluster, Map.of(ProducerConfig.BATCH_SIZE, 100,
                ProducerConfig.DELIVERY_TIMEOUT_MS, deliveryTimeoutMs, ProducerConfig.LINGER_MS, random.nextInt(3)),
                seed);
        h.warmUp("t");
        Map<TopicPartition, List<String>> sent = new HashMap<>();
        Map<String, CompletableFuture<RecordMetadata>> futures = new HashMap<>();
        int next = 0;
        for (int step = 0; step < 600; step++) {
            int action = random.nextInt(100);
            if (action < 30 && next < RECORDS) {
                int p = random.nextInt(PARTITIONS);
                String value = "r" + next++;
                sent.computeIfAbsent(new TopicPartition("t", p), k -> new ArrayList<>()).add(value);
                futures.put(value, h.send("t", p, value));
            } else if (action < 75) {
                serveOne(cluster, random);
            } else if (action < 78) {
                cluster.moveLeader(new TopicPartition("t", random.nextInt(PARTITIONS)), 1 + random.nextInt(3));
            } else if (action < 80) {
                cluster.breakStream(1 + random.nextInt(3));
            }
            h.run(1, random.nextInt(4) == 0 ? 300 + random.nextInt(900) : random.nextInt(20));
        }
        while (next < RECORDS) {
            String value = "r" + next++;
            sent.computeIfAbsent(new TopicPartition("t", 0), k -> new ArrayList<>()).add(value);
            futures.put(value, h.send("t", 0, value));
        }
        for (int i = 0; i < 5_000 && !futures.values().stream().allMatch(CompletableFuture::isDone); i++) {
            for (int b = 1; b <= 3; b++) {
                cluster.processNext(b);
            }
            h.run(1, 25);
        }
        check(cluster, sent, futures, deliveryTimeoutMs == Integer.MAX_VALUE);
    }

    private static void serveOne(FakeProduceCluster cluster, Random random) {
        int broker = 1 + random.nextInt(3);
        ProduceRequest request = cluster.take(broker);
        if (request == null) {
            return;
        }
        int outcome = random.nextInt(10);
        if (outcome == 0) {
            cluster.processAndLoseAnswer(broker, request);
        } else if (outcome == 1) {
            return; // the request is lost before the broker sees it
        } else if (outcome == 2) {
            cluster.refuse(broker, request, ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS);
        } else if (outcome == 3 && random.nextInt(3) == 0) {
            // An out-of-date broker that has not seen the batches before this one.
            cluster.refuse(broker, request, ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE);
        } else {
            cluster.process(broker, request);
        }
    }

    private static void check(FakeProduceCluster cluster, Map<TopicPartition, List<String>> sent,
            Map<String, CompletableFuture<RecordMetadata>> futures, boolean allMustSucceed) {
        for (Map.Entry<String, CompletableFuture<RecordMetadata>> e : futures.entrySet()) {
            assertTrue(e.getValue().isDone(), e.getKey() + " never completed");
            assertTrue(!allMustSucceed || !e.getValue().isCompletedExceptionally(),
                    e.getKey() + " failed: " + e.getValue());
        }
        for (Map.Entry<TopicPartition, List<String>> e : sent.entrySet()) {
            List<String> log = cluster.values(e.getKey());
            assertEquals(log.size(), new HashSet<>(log).size(), "duplicates in " + e.getKey() + ": " + log);
            List<String> expected = new ArrayList<>(e.getValue());
            expected.retainAll(new HashSet<>(log));
            assertEquals(expected, log, "order or content of " + e.getKey());
            for (String value : e.getValue()) {
                CompletableFuture<RecordMetadata> f = futures.get(value);
                if (!f.isCompletedExceptionally()) {
                    assertEquals(value, log.get((int) f.join().offset()), "offset of " + value);
                } else if (certainlyNotWritten(f)) {
                    assertFalse(log.contains(value), value + " is in the log although its delivery timeout "
                            + "said it could not have been written");
                }
            }
        }
    }

    /** Whether the record failed with a delivery timeout that rules out any append. */
    private static boolean certainlyNotWritten(CompletableFuture<RecordMetadata> future) {
        try {
            future.join();
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof DeliveryTimeoutException timeout && !timeout.mayHaveBeenWritten();
        }
    }
}
