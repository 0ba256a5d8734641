package io.sluice.broker.it;

import static io.sluice.broker.it.ClusterIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartitionResponse;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.record.Record;
import io.sluice.record.RecordBatches;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers never read at or above the high watermark. A topic with two replicas on a three-node
 * cluster (the third node keeps the metadata quorum alive while the follower is frozen), acks=all
 * and min.insync.replicas=2. A consumer thread fetches from the leader the whole time and checks
 * every answer: each record's offset is below the high watermark of that same answer. The follower
 * is frozen (SIGSTOP) until the ISR is the leader alone; then acks=all is refused with
 * NOT_ENOUGH_REPLICAS, acks=leader writes land above the frozen high watermark, and no fetch
 * returns them. After SIGCONT the follower catches up, the ISR is whole again, the high watermark
 * passes the tail and consumers read it, at the offsets it was acknowledged with.
 */
class HighWatermarkIT {
    private static final String TOPIC = "hw";

    @TempDir
    Path dir;

    @Test
    void consumersNeverSeeRecordsAtOrAboveTheHighWatermark() throws Exception {
        Map<String, String> settings = Map.of("replica.lag.time.max.ms", "2000", "broker.session.timeout.ms", "20000");
        try (NodeProcesses nodes = new NodeProcesses(dir, 3, settings); RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            nodes.step("cluster ready");
            String any = nodes.node(1).address();
            PartitionMetadata initial = client.createInSync(any, TOPIC, 2);
            int leader = initial.getLeaderId();
            int follower = initial.getReplicasList().stream().filter(id -> id != leader).findFirst().orElseThrow();
            String leaderAddress = nodes.node(leader).address();
            List<String> live = nodes.ids().stream().filter(id -> id != follower).map(id -> nodes.node(id).address())
                    .toList();

            try (WatermarkChecker checker = new WatermarkChecker(client, leaderAddress);
                    ProducerLoop producer = new ProducerLoop(client, live, TOPIC, 0, Acks.ACKS_ALL, "a")) {
                await(() -> producer.acknowledgedCount() >= 10 ? true : null, "10 acknowledged batches");
                nodes.pause(follower);
                nodes.step("follower " + follower + " frozen (SIGSTOP)");
                await(() -> {
                    PartitionMetadata p = client.withLeader(leaderAddress, TOPIC, 0);
                    return p != null && p.getIsrList().equals(List.of(leader)) ? p : null;
                }, "an ISR of the leader alone");
                nodes.step("ISR is [" + leader + "]");
                List<PartitionProduceResponse> tail = belowMinIsr(client, leaderAddress);

                nodes.resume(follower);
                nodes.step("follower " + follower + " resumed (SIGCONT)");
                await(() -> client.inSync(leaderAddress, TOPIC, 0, 2), "the follower back in the ISR");
                long tailEnd = tail.get(tail.size() - 1).getBaseOffset() + 1;
                await(() -> client.fetch(leaderAddress, TOPIC, 0, 0).getHighWatermark() >= tailEnd ? true : null,
                        "the high watermark past the tail");
                TreeMap<Long, String> log = readWithOffsets(client, leaderAddress);
                for (int i = 0; i < tail.size(); i++) {
                    assertEquals("tail-" + i, log.get(tail.get(i).getBaseOffset()), "the tail is readable once "
                            + "committed, at its acknowledged offset");
                }
                int atHeal = producer.acknowledgedCount();
                await(() -> producer.acknowledgedCount() >= atHeal + 5 ? true : null, "acks=all writes again");
                producer.close();
                checker.close();
                nodes.step(checker.fetches() + " checked fetches");
                assertEquals(List.of(), checker.violations(), "fetch answers with records at or above their HW");
                assertTrue(checker.fetches() >= 10, "the consumer thread fetched only " + checker.fetches() + " times");
                assertEquals(List.of(), producer.fatalErrors(), "errors no retry can fix");
                TreeMap<Long, String> end = readWithOffsets(client, leaderAddress);
                for (ReplicaLogs.Acked acked : producer.acknowledged()) {
                    assertTrue(end.get(acked.baseOffset()) != null, "acknowledged offset " + acked.baseOffset()
                            + " is readable");
                }
            }
        }
    }

    /**
     * With the ISR below min.insync.replicas: acks=all is refused, acks=leader appends above the
     * frozen high watermark, and neither a fetch at those offsets nor a read from 0 returns them.
     */
    private static List<PartitionProduceResponse> belowMinIsr(RawClient client, String leader) {
        long frozenHw = client.fetch(leader, TOPIC, 0, 0).getHighWatermark();
        PartitionProduceResponse refused = client.produce(leader, TOPIC, 0, Acks.ACKS_ALL, List.of("refused"));
        assertEquals(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS, refused.getErrorCode(), refused.getErrorMessage());
        List<PartitionProduceResponse> tail = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PartitionProduceResponse r = client.produce(leader, TOPIC, 0, Acks.ACKS_LEADER, List.of("tail-" + i));
            assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.getErrorMessage());
            assertTrue(r.getBaseOffset() >= frozenHw, "acks=leader write at " + r.getBaseOffset()
                    + " below the high watermark " + frozenHw);
            tail.add(r);
        }
        for (PartitionProduceResponse r : tail) {
            FetchPartitionResponse above = client.fetch(leader, TOPIC, 0, r.getBaseOffset());
            assertEquals(ErrorCode.ERROR_CODE_NONE, above.getErrorCode(), above.getErrorMessage());
            assertEquals(frozenHw, above.getHighWatermark(), "the high watermark moved with an ISR of 1");
            assertTrue(above.getRecords().isEmpty(), "a fetch at " + r.getBaseOffset() + " above the high watermark "
                    + frozenHw + " returned records");
        }
        TreeMap<Long, String> visible = readWithOffsets(client, leader);
        assertTrue(visible.isEmpty() || visible.lastKey() < frozenHw, "records at or above " + frozenHw + ": "
                + visible.tailMap(frozenHw));
        assertTrue(visible.values().stream().noneMatch(v -> v.startsWith("tail-")), "the uncommitted tail was read");
        return tail;
    }

    /** Every record below the high watermark, by offset, read from {@code address}. */
    private static TreeMap<Long, String> readWithOffsets(RawClient client, String address) {
        TreeMap<Long, String> records = new TreeMap<>();
        long next = 0;
        while (true) {
            FetchPartitionResponse response = client.fetch(address, TOPIC, 0, next);
            assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), response.getErrorMessage());
            for (Record record : RecordBatches.records(response.getRecords().asReadOnlyByteBuffer())) {
                if (record.offset() >= next) {
                    records.put(record.offset(), new String(record.value(), StandardCharsets.UTF_8));
                    next = record.offset() + 1;
                }
            }
            if (next >= response.getHighWatermark()) {
                return records;
            }
        }
    }

    /**
     * A thread that fetches from the leader in a loop, alternately from offset 0 and from the last
     * high watermark it saw, and records every answer that holds a record at or above the high
     * watermark of that answer. Thread-safe.
     */
    private static final class WatermarkChecker implements AutoCloseable {
        private final RawClient client;
        private final String leader;
        private final Thread thread;
        private final List<String> violations = new ArrayList<>();
        private volatile boolean stopping;
        private volatile int fetches;

        WatermarkChecker(RawClient client, String leader) {
            this.client = client;
            this.leader = leader;
            this.thread = new Thread(this::run, "watermark-checker");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            long lastHw = 0;
            for (long round = 0; !stopping; round++) {
                long from = round % 2 == 0 ? 0 : lastHw;
                try {
                    FetchPartitionResponse response = client.fetch(leader, TOPIC, 0, from);
                    if (response.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                        check(from, response);
                        lastHw = Math.max(lastHw, response.getHighWatermark());
                        fetches++;
                    }
                    Thread.sleep(10);
                } catch (RuntimeException e) {
                    // a slow answer; fetch again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void check(long from, FetchPartitionResponse response) {
            long hw = response.getHighWatermark();
            for (Record record : RecordBatches.records(response.getRecords().asReadOnlyByteBuffer())) {
                if (record.offset() >= hw) {
                    synchronized (this) {
                        violations.add("fetch from " + from + " returned offset " + record.offset() + " with HW "
                                + hw);
                    }
                    return;
                }
            }
        }

        int fetches() {
            return fetches;
        }

        synchronized List<String> violations() {
            return List.copyOf(violations);
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            thread.join(TimeUnit.SECONDS.toMillis(120));
        }
    }
}
