package io.sluice.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.broker.log.ChronicleLog;
import io.sluice.broker.log.DiskSpaceGuard;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.log.LogReadResult;
import io.sluice.common.SystemClock;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a partition replica holds on disk, read back with the storage engine from a node's data
 * directory once the node has stopped (its lock on the directory is gone): the batches as stored.
 * Plus the checks the process-level tests make on them. Stateless.
 */
final class ReplicaLogs {
    private ReplicaLogs() {
    }

    /** One stored batch: its offsets, the leader epoch stamped in it, and its bytes as stored. */
    record StoredBatch(long baseOffset, long nextOffset, int leaderEpoch, byte[] bytes) {
        /**
         * Whether this is {@code produced} as a leader stores it: the same bytes except the two
         * fields the leader stamps (base offset, leader epoch), which lie outside the CRC.
         */
        boolean holds(byte[] produced) {
            if (produced.length != bytes.length) {
                return false;
            }
            return Arrays.equals(bytes, RecordBatch.LENGTH_OFFSET, RecordBatch.PARTITION_LEADER_EPOCH_OFFSET,
                    produced, RecordBatch.LENGTH_OFFSET, RecordBatch.PARTITION_LEADER_EPOCH_OFFSET)
                    && Arrays.equals(bytes, RecordBatch.MAGIC_OFFSET, bytes.length, produced, RecordBatch.MAGIC_OFFSET,
                    produced.length);
        }

        @Override
        public String toString() {
            return "batch[" + baseOffset + ", " + nextOffset + ") epoch " + leaderEpoch + ", " + bytes.length
                    + " bytes";
        }
    }

    /** A produce the leader acknowledged: the batch as sent, and the base offset it answered. */
    record Acked(long baseOffset, byte[] batch) {
        long nextOffset() {
            return baseOffset + RecordBatch.wrap(batch).recordCount();
        }
    }

    /** The partition's directory under a node's data directory. */
    static Path partitionDir(Path dataDir, String topicId, int partition) {
        return dataDir.resolve("logs").resolve(topicId + "-" + partition);
    }

    /** Every batch of the replica's log, in offset order. The node must not be running. */
    static List<StoredBatch> read(Path dataDir, String topicId, int partition) {
        return readDirectory(partitionDir(dataDir, topicId, partition));
    }

    /**
     * Every batch of a replica whose node was killed and must later restart on its files as they are:
     * the directory is copied to {@code scratch} and the copy is opened (opening runs recovery, which
     * may write).
     */
    static List<StoredBatch> readCopy(Path dataDir, String topicId, int partition, Path scratch) throws IOException {
        Path source = partitionDir(dataDir, topicId, partition);
        Path copy = Files.createDirectories(scratch.resolve(source.getFileName()));
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return readDirectory(copy);
    }

    private static List<StoredBatch> readDirectory(Path dir) {
        assertTrue(Files.isDirectory(dir), "no replica directory " + dir);
        List<StoredBatch> batches = new ArrayList<>();
        try (ChronicleLog log = ChronicleLog.open(dir, LogConfig.DEFAULT, SystemClock.INSTANCE,
                DiskSpaceGuard.unlimited(), 60_000)) {
            long next = log.logStartOffset();
            while (next < log.logEndOffset()) {
                LogReadResult read = log.read(next, 1 << 20, Long.MAX_VALUE, true);
                for (RecordBatch batch : RecordBatches.split(read.records())) {
                    ByteBuffer buffer = batch.buffer();
                    byte[] bytes = new byte[batch.sizeInBytes()];
                    buffer.get(buffer.position(), bytes);
                    batches.add(new StoredBatch(batch.baseOffset(), batch.nextOffset(), batch.partitionLeaderEpoch(),
                            bytes));
                    next = batch.nextOffset();
                }
            }
        }
        return batches;
    }

    /** Acknowledged batches never share an offset: two acks for one offset mean one of them was lost. */
    static void assertDistinctOffsets(List<Acked> acked) {
        List<Acked> sorted = new ArrayList<>(acked);
        sorted.sort(Comparator.comparingLong(Acked::baseOffset));
        for (int i = 1; i < sorted.size(); i++) {
            assertTrue(sorted.get(i).baseOffset() >= sorted.get(i - 1).nextOffset(), "two acknowledged batches "
                    + "overlap: base offsets " + sorted.get(i - 1).baseOffset() + " and " + sorted.get(i).baseOffset());
        }
    }

    /** Every acknowledged batch is in {@code log} at the offset it was acknowledged with, with its bytes. */
    static void assertHoldsAcknowledged(String replica, List<StoredBatch> log, List<Acked> acked) {
        for (Acked ack : acked) {
            StoredBatch stored = log.stream().filter(b -> b.baseOffset() == ack.baseOffset()).findFirst()
                    .orElse(null);
            if (stored == null) {
                fail(replica + " lost the batch acknowledged at offset " + ack.baseOffset() + "; its log: "
                        + describe(log));
            }
            assertTrue(stored.holds(ack.batch()), () -> replica + " holds other bytes at offset " + ack.baseOffset()
                    + " than the batch acknowledged there: " + stored);
        }
    }

    /** Below {@code offset}, the two replicas hold the same batches with the same bytes. */
    static void assertSameBelow(long offset, String nameA, List<StoredBatch> a, String nameB, List<StoredBatch> b) {
        List<StoredBatch> belowA = below(a, offset);
        List<StoredBatch> belowB = below(b, offset);
        assertEquals(describe(belowA), describe(belowB), nameA + " and " + nameB + " differ below offset " + offset);
        for (int i = 0; i < belowA.size(); i++) {
            assertArrayEquals(belowA.get(i).bytes(), belowB.get(i).bytes(), nameA + " and " + nameB
                    + " hold different bytes in " + belowA.get(i));
        }
    }

    /**
     * After the nodes were killed (nothing is written any more): every ISR member holds every
     * acknowledged batch, and they all hold the same batches, byte for byte, below the end of the
     * last acknowledged batch. Opening a killed node's log runs recovery on it, so the node must not
     * be started again.
     */
    static void assertKilledReplicasAgree(NodeProcesses nodes, String topicId, int partition, List<Integer> isr,
            List<Acked> acked) {
        long lastAcked = acked.stream().mapToLong(Acked::nextOffset).max().orElse(0);
        List<StoredBatch> first = null;
        for (int id : isr) {
            List<StoredBatch> log = read(nodes.dataDir(id), topicId, partition);
            assertHoldsAcknowledged("node " + id, log, acked);
            if (first == null) {
                first = log;
            } else {
                assertSameBelow(lastAcked, "node " + isr.get(0), first, "node " + id, log);
            }
        }
    }

    private static List<StoredBatch> below(List<StoredBatch> log, long offset) {
        return log.stream().filter(b -> b.baseOffset() < offset).toList();
    }

    static String describe(List<StoredBatch> log) {
        return log.stream().map(StoredBatch::toString).toList().toString();
    }
}
