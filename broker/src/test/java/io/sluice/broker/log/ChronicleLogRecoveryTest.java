package io.sluice.broker.log;

import static io.sluice.broker.log.TestBatches.batch;
import static io.sluice.broker.log.TestBatches.bytes;
import static io.sluice.broker.log.TestBatches.validBatches;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.log.internal.CheckpointFiles;
import io.sluice.common.ManualClock;
import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery after an unclean stop: segment files cut short, bits flipped, zeroed tails, lost or damaged
 * indexes and checkpoints. After reopening, the log must be a prefix of what was appended, cut exactly
 * at the first damaged batch, with every batch before it intact.
 *
 * <p>The seeded case prints its seed; replay it with {@code -Dsluice.seed=<seed>}.
 */
@ExtendWith(NoMappingLeaks.class)
class ChronicleLogRecoveryTest {
    static final LogConfig SMALL = PartitionLogContractTest.SMALL_SEGMENTS;

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_000_000);

    ChronicleLog open() {
        return ChronicleLog.open(dir, SMALL, clock, DiskSpaceGuard.unlimited(), 60_000);
    }

    /** Appends {@code count} batches and returns them as stored, by position in the log. */
    static List<byte[]> appendBatches(ChronicleLog log, int count, Random random) {
        List<byte[]> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long offset = log.appendAsLeader(batch(1 + random.nextInt(4), 1000 + i, 4 + random.nextInt(40)),
                    i / 7, 0).firstOffset();
            stored.add(bytes(log.read(offset, 1, Long.MAX_VALUE, true).records()));
        }
        return stored;
    }

    List<Path> segmentFiles() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    /** The batches of a segment file as (position, size) pairs. */
    static List<int[]> batchesIn(Path file) throws IOException {
        ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(file));
        List<int[]> out = new ArrayList<>();
        int position = 0;
        while (position + RecordBatch.HEADER_SIZE <= content.limit() && content.getInt(position + 8) > 0) {
            int size = RecordBatch.LOG_OVERHEAD + content.getInt(position + RecordBatch.LENGTH_OFFSET);
            out.add(new int[] {position, size});
            position += size;
        }
        return out;
    }

    static long baseOffsetAt(Path file, int position) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).getLong(position);
    }

    static void flipBit(Path file, long position, int bit) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int value = raf.read();
            raf.seek(position);
            raf.write(value ^ (1 << bit));
        }
    }

    static void cut(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    /** Checks that {@code log} holds exactly the first {@code count} of {@code expected}, intact. */
    static void assertPrefix(List<byte[]> expected, int count, ChronicleLog log) {
        List<RecordBatch> read = validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
        assertEquals(count, read.size(), "batches left after recovery");
        for (int i = 0; i < count; i++) {
            assertArrayEquals(expected.get(i), bytes(read.get(i).buffer()), "batch " + i);
        }
        long end = count == 0 ? 0 : read.get(count - 1).nextOffset();
        assertEquals(end, log.logEndOffset());
    }

    @Test
    void aCrashLosesNothingThatWasWrittenAndLeavesNoZeroedTail() throws IOException {
        List<byte[]> stored;
        ChronicleLog log = open();
        stored = appendBatches(log, 50, new Random(1));
        log.simulateCrash();
        Path active = segmentFiles().get(segmentFiles().size() - 1);
        assertTrue(Files.size(active) > batchesIn(active).stream().mapToInt(b -> b[1]).sum(),
                "the crashed active segment still has its mapped, zeroed tail");
        try (ChronicleLog reopened = open()) {
            assertPrefix(stored, 50, reopened);
            assertEquals(reopened.logEndOffset(), reopened.recoveryPointOffset());
            assertEquals(batchesIn(active).stream().mapToInt(b -> b[1]).sum(), Files.size(active));
            assertEquals(reopened.logEndOffset(), reopened.appendAsLeader(batch(1, 1), 9, 0).firstOffset());
        }
    }

    @Test
    void aStopStateLeftFromBeforeAnUncleanStopIsDeletedNotReturned() throws IOException {
        ChronicleLog log = open();
        appendBatches(log, 5, new Random(2));
        // A state file that a start failed to delete, say, and that still names this log's bounds.
        log.saveStopState(new byte[] {1, 2, 3});
        log.simulateCrash();
        try (ChronicleLog reopened = open()) {
            assertEquals(Optional.empty(), reopened.takeStopState(), "recovery ran: the file predates the crash");
            assertFalse(Files.exists(dir.resolve(ChronicleLog.STOP_STATE_FILE)));
        }
    }

    @Test
    void aPartialLastBatchIsCutAndNeverVisible() throws IOException {
        ChronicleLog log = open();
        List<byte[]> stored = appendBatches(log, 20, new Random(2));
        log.simulateCrash();
        Path active = segmentFiles().get(segmentFiles().size() - 1);
        List<int[]> batches = batchesIn(active);
        int[] last = batches.get(batches.size() - 1);
        cut(active, last[0] + 1 + new Random(3).nextInt(last[1] - 1));
        try (ChronicleLog reopened = open()) {
            assertPrefix(stored, 19, reopened);
        }
    }

    @Test
    void aFlippedBitCutsTheLogAtThatBatchAndKeepsEverythingBefore() throws IOException {
        ChronicleLog log = open();
        List<byte[]> stored = appendBatches(log, 60, new Random(4));
        log.simulateCrash();
        List<Path> files = segmentFiles();
        assertTrue(files.size() >= 4, "enough segments: " + files.size());
        Path damaged = files.get(1);
        int[] victim = batchesIn(damaged).get(2);
        long victimOffset = baseOffsetAt(damaged, victim[0]);
        flipBit(damaged, victim[0] + RecordBatch.HEADER_SIZE + 1, 3);
        try (ChronicleLog reopened = open()) {
            int kept = (int) stored.stream().map(ByteBuffer::wrap).filter(b -> b.getLong(0) < victimOffset).count();
            assertPrefix(stored, kept, reopened);
            assertEquals(victimOffset, reopened.logEndOffset());
            assertEquals(2, reopened.segmentCount(), "the segments after the damaged one are deleted");
            assertEquals((kept - 1) / 7, reopened.latestEpoch());
        }
    }

    @Test
    void zeroesAfterTheLastBatchAreDroppedSilently() throws IOException {
        ChronicleLog log = open();
        List<byte[]> stored = appendBatches(log, 5, new Random(5));
        log.close();
        Path active = segmentFiles().get(segmentFiles().size() - 1);
        Files.write(active, new byte[10_000], StandardOpenOption.APPEND);
        Files.delete(dir.resolve(CheckpointFiles.RECOVERY_POINT_FILE));
        try (ChronicleLog reopened = open()) {
            assertPrefix(stored, 5, reopened);
        }
        assertEquals(batchesIn(active).stream().mapToInt(b -> b[1]).sum(), Files.size(active));
    }

    @Test
    void lostOrGarbledIndexesAreRebuiltFromTheSegments() throws IOException {
        List<byte[]> stored;
        try (ChronicleLog log = open()) {
            stored = appendBatches(log, 60, new Random(6));
        }
        byte[] garbage = new byte[64];
        new Random(7).nextBytes(garbage);
        boolean even = true;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.filter(p -> p.toString().endsWith("index")).toList()) {
                if (even) {
                    Files.delete(file);
                } else {
                    Files.write(file, garbage);
                }
                even = !even;
            }
        }
        try (ChronicleLog reopened = open()) {
            assertPrefix(stored, 60, reopened);
            for (byte[] batch : stored) {
                RecordBatch expected = RecordBatch.wrap(batch);
                for (long offset = expected.baseOffset(); offset <= expected.lastOffset(); offset++) {
                    RecordBatch found = validBatches(reopened.read(offset, 1, Long.MAX_VALUE, true).records()).get(0);
                    assertEquals(expected.baseOffset(), found.baseOffset());
                }
                long timestamp = expected.baseTimestamp();
                long firstThatLate = stored.stream().flatMap(b -> RecordBatch.wrap(b).records().stream())
                        .filter(r -> r.timestampMs() >= timestamp).findFirst().orElseThrow().offset();
                assertEquals(firstThatLate, reopened.offsetForTimestamp(timestamp).orElseThrow().offset());
            }
        }
        try (Stream<Path> list = Files.list(dir)) {
            assertEquals(2 * segmentFiles().size(), list.filter(p -> p.toString().endsWith("index")).count());
        }
    }

    @Test
    void aLostEpochCheckpointIsRebuiltFromTheBatches() throws IOException {
        List<Optional<EpochEndOffset>> before = new ArrayList<>();
        try (ChronicleLog log = open()) {
            appendBatches(log, 40, new Random(8));
            for (int epoch = -1; epoch < 8; epoch++) {
                before.add(log.endOffsetForEpoch(epoch));
            }
        }
        Files.delete(dir.resolve(CheckpointFiles.LEADER_EPOCH_FILE));
        try (ChronicleLog reopened = open()) {
            for (int epoch = -1; epoch < 8; epoch++) {
                assertEquals(before.get(epoch + 1), reopened.endOffsetForEpoch(epoch), "epoch " + epoch);
            }
        }
        assertTrue(Files.exists(dir.resolve(CheckpointFiles.LEADER_EPOCH_FILE)), "saved again after recovery");
    }

    @Test
    void aDamagedRecoveryPointCheckpointMeansCheckingEveryBatch() throws IOException {
        List<byte[]> stored;
        try (ChronicleLog log = open()) {
            stored = appendBatches(log, 40, new Random(9));
        }
        flipBit(dir.resolve(CheckpointFiles.RECOVERY_POINT_FILE), 10, 0);
        Path first = segmentFiles().get(0);
        int[] victim = batchesIn(first).get(1);
        flipBit(first, victim[0] + victim[1] - 1, 7);
        try (ChronicleLog reopened = open()) {
            assertPrefix(stored, 1, reopened);
        }
    }

    @Test
    void seededRandomDamageAlwaysLeavesTheValidPrefix() throws IOException {
        long seed = TestSeeds.seed(getClass().getSimpleName());
        Random random = new Random(seed);
        for (int round = 0; round < 15; round++) {
            Path roundDir = dir.resolve("round-" + round);
            ChronicleLog log = ChronicleLog.open(roundDir, SMALL, clock, DiskSpaceGuard.unlimited(), 60_000);
            List<byte[]> stored = appendBatches(log, 5 + random.nextInt(60), random);
            log.simulateCrash();
            long damagedOffset = damageRandomly(roundDir, random);
            try (ChronicleLog reopened = ChronicleLog.open(roundDir, SMALL, clock, DiskSpaceGuard.unlimited(), 1)) {
                int kept = (int) stored.stream().map(ByteBuffer::wrap).filter(b -> b.getLong(0) < damagedOffset)
                        .count();
                assertPrefix(stored, kept, reopened);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", round " + round + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Cuts a random segment at a random byte or flips a random bit in it (never in the leader-epoch
     * field, which the CRC does not cover), and returns the base offset of the batch it damaged.
     */
    private static long damageRandomly(Path logDir, Random random) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(logDir)) {
            files = list.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        Path file = files.get(random.nextInt(files.size()));
        List<int[]> batches = batchesIn(file);
        if (batches.isEmpty()) {
            return Long.MAX_VALUE;
        }
        int[] victim = batches.get(random.nextInt(batches.size()));
        long base = baseOffsetAt(file, victim[0]);
        int at = random.nextInt(victim[1]);
        if (random.nextBoolean()) {
            cut(file, victim[0] + at);
        } else {
            if (at >= RecordBatch.PARTITION_LEADER_EPOCH_OFFSET && at < RecordBatch.MAGIC_OFFSET) {
                at = RecordBatch.MAGIC_OFFSET;
            }
            flipBit(file, victim[0] + at, random.nextInt(8));
        }
        return base;
    }
}
