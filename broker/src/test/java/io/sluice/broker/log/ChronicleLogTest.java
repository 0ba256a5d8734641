package io.sluice.broker.log;

import static io.sluice.broker.log.TestBatches.batch;
import static io.sluice.broker.log.TestBatches.bytes;
import static io.sluice.broker.log.TestBatches.validBatches;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.log.internal.CheckpointFiles;
import io.sluice.common.ManualClock;
import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the Chronicle log does beyond the shared contract: segments, files, reopening, flushing, idleness. */
@ExtendWith(NoMappingLeaks.class)
class ChronicleLogTest {
    static final LogConfig SMALL = PartitionLogContractTest.SMALL_SEGMENTS;

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_000_000);

    ChronicleLog open(LogConfig config) {
        return ChronicleLog.open(dir, config, clock, DiskSpaceGuard.unlimited(), 60_000);
    }

    static LogConfig withFlush(LogConfig base, LogConfig.FlushPolicy policy, long intervalMs) {
        return new LogConfig(base.segmentBytes(), base.segmentMs(), base.retentionMs(), base.retentionBytes(),
                base.maxMessageBytes(), base.logAppendTime(), policy, intervalMs, base.indexIntervalBytes());
    }

    static byte[] all(PartitionLog log) {
        return bytes(log.read(log.logStartOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
    }

    List<String> files(String suffix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void segmentsRollBySizeAreNamedByBaseOffsetAndCutToTheirSize() throws IOException {
        try (ChronicleLog log = open(SMALL)) {
            for (int i = 0; i < 40; i++) {
                log.appendAsLeader(batch(2, 1000 + i), 0, 0);
            }
            assertTrue(log.segmentCount() > 3, "1 KiB segments must roll: " + log.segmentCount());
            List<String> logs = files(".log");
            assertEquals(log.segmentCount(), logs.size());
            assertEquals("00000000000000000000.log", logs.get(0));
            for (String name : logs.subList(0, logs.size() - 1)) {
                long size = Files.size(dir.resolve(name));
                assertTrue(size <= SMALL.segmentBytes() && size > 0, name + " holds " + size + " bytes");
                assertTrue(Files.exists(dir.resolve(name.replace(".log", ".index"))));
                assertTrue(Files.exists(dir.resolve(name.replace(".log", ".timeindex"))));
            }
            for (long offset = 0; offset < 80; offset++) {
                RecordBatch first = validBatches(log.read(offset, 1, Long.MAX_VALUE, true).records()).get(0);
                assertEquals(offset - offset % 2, first.baseOffset(), "read at " + offset);
            }
            assertEquals(40, validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()).size());
        }
    }

    @Test
    void aBatchLargerThanASegmentGetsASegmentOfItsOwn() {
        try (ChronicleLog log = open(SMALL)) {
            log.appendAsLeader(batch(1, 1000), 0, 0);
            log.appendAsLeader(batch(2, 1000, 3000), 0, 0);
            log.appendAsLeader(batch(1, 1000), 0, 0);
            assertEquals(3, log.segmentCount());
            assertEquals(3, validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()).size());
        }
    }

    @Test
    void aCleanlyClosedLogReopensWithEverythingAndNeedsNoRecovery() throws IOException {
        byte[] before;
        try (ChronicleLog log = open(SMALL)) {
            for (int i = 0; i < 30; i++) {
                log.appendAsLeader(batch(3, 1000 + i), i / 10, 0);
            }
            log.deleteRecordsBefore(7);
            before = all(log);
        }
        assertEquals(Optional.of(90L), CheckpointFiles.readRecoveryPoint(dir).map(p -> p.offset()));
        try (ChronicleLog log = open(SMALL)) {
            assertEquals(7, log.logStartOffset());
            assertEquals(90, log.logEndOffset());
            assertEquals(90, log.recoveryPointOffset());
            assertEquals(2, log.latestEpoch());
            assertEquals(Optional.of(new EpochEndOffset(1, 60)), log.endOffsetForEpoch(1));
            assertArrayEquals(before, all(log));
            assertEquals(Optional.of(new TimestampOffset(80, 1028, 2)), log.offsetForTimestamp(1028));
            assertEquals(90, log.appendAsLeader(batch(1, 5000), 3, 0).firstOffset());
        }
        try (ChronicleLog log = open(SMALL)) {
            assertEquals(91, log.logEndOffset());
            assertEquals(3, log.latestEpoch());
        }
    }

    @Test
    void truncatingIntoASealedSegmentMakesItTheActiveOneAgain() {
        try (ChronicleLog log = open(SMALL)) {
            for (int i = 0; i < 30; i++) {
                log.appendAsLeader(batch(2, 1000 + i), 1, 0);
            }
            int before = log.segmentCount();
            log.truncateTo(5);
            assertEquals(4, log.logEndOffset());
            assertEquals(1, log.segmentCount(), "segments after the cut are gone (was " + before + ")");
            for (int i = 0; i < 30; i++) {
                log.appendAsLeader(batch(2, 2000 + i), 2, 0);
            }
            List<RecordBatch> read = validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
            assertEquals(32, read.size());
            assertEquals(4, read.get(2).baseOffset());
            assertEquals(2, read.get(2).partitionLeaderEpoch());
        }
        try (ChronicleLog log = open(SMALL)) {
            assertEquals(64, log.logEndOffset());
            assertEquals(Optional.of(new EpochEndOffset(1, 4)), log.endOffsetForEpoch(1));
        }
    }

    @Test
    void everyBatchPolicyMovesTheRecoveryPointWithEachAppend() {
        try (ChronicleLog log = open(withFlush(SMALL, LogConfig.FlushPolicy.EVERY_BATCH, 0))) {
            for (int i = 0; i < 20; i++) {
                log.appendAsLeader(batch(2, 1000), 0, 0);
                assertEquals(log.logEndOffset(), log.recoveryPointOffset());
            }
            log.appendAsFollower(TestBatches.stored(40, 1, 3, 1000));
            assertEquals(43, log.recoveryPointOffset());
        }
    }

    @Test
    void intervalPolicyFlushesWhenTheIntervalHasPassed() {
        try (ChronicleLog log = open(withFlush(SMALL, LogConfig.FlushPolicy.INTERVAL, 500))) {
            log.appendAsLeader(batch(2, 1000), 0, 0);
            log.maintain(clock.wallMs(), 0);
            assertEquals(0, log.recoveryPointOffset());
            clock.advanceMs(500);
            log.maintain(clock.wallMs(), 0);
            assertEquals(2, log.recoveryPointOffset());
        }
    }

    @Test
    void pageCachePolicyFlushesSealedSegmentsInTheBackgroundOnly() throws IOException {
        try (ChronicleLog log = open(SMALL)) {
            for (int i = 0; i < 30; i++) {
                log.appendAsLeader(batch(2, 1000), 0, 0);
            }
            assertEquals(0, log.recoveryPointOffset());
            log.maintain(clock.wallMs(), 0);
            List<String> logs = files(".log");
            long activeBase = Long.parseLong(logs.get(logs.size() - 1).replace(".log", ""));
            assertTrue(activeBase > 0);
            assertEquals(activeBase, log.recoveryPointOffset(), "sealed segments are forced, the active one is not");
            log.flush();
            assertEquals(60, log.recoveryPointOffset());
        }
    }

    @Test
    void idleSegmentsAreUnmappedAndMappedAgainWhenRead() {
        try (ChronicleLog log = ChronicleLog.open(dir, SMALL, clock, DiskSpaceGuard.unlimited(), 1000)) {
            for (int i = 0; i < 30; i++) {
                log.appendAsLeader(batch(2, 1000), 0, 0);
            }
            log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false);
            assertEquals(log.segmentCount(), log.mappedSegmentCount());
            clock.advanceMs(999);
            log.maintain(clock.wallMs(), 0);
            assertEquals(log.segmentCount(), log.mappedSegmentCount());
            clock.advanceMs(1);
            log.maintain(clock.wallMs(), 0);
            assertEquals(0, log.mappedSegmentCount());
            byte[] read = all(log);
            assertEquals(60, TestBatches.records(java.nio.ByteBuffer.wrap(read)).size());
            assertEquals(log.segmentCount(), log.mappedSegmentCount());
            log.appendAsLeader(batch(2, 1000), 0, 0);
        }
    }

    @Test
    void segmentsRollByAgeOnAppendAndInMaintenance() {
        LogConfig hourly = new LogConfig(1 << 20, 3_600_000, -1, -1, 64 * 1024, false,
                LogConfig.FlushPolicy.PAGE_CACHE, 1000, 4096);
        try (ChronicleLog log = open(hourly)) {
            log.appendAsLeader(batch(1, 1000), 0, 0);
            clock.advanceMs(3_600_000);
            log.appendAsLeader(batch(1, 1000), 0, 0);
            assertEquals(2, log.segmentCount());
            clock.advanceMs(3_600_000);
            log.maintain(clock.wallMs(), 0);
            assertEquals(3, log.segmentCount());
            clock.advanceMs(3_600_000);
            log.maintain(clock.wallMs(), 0);
            assertEquals(3, log.segmentCount(), "an empty active segment does not roll");
        }
    }

    @Test
    void updatedSettingsApplyToTheNextAppend() {
        try (ChronicleLog log = open(LogConfig.DEFAULT)) {
            log.appendAsLeader(batch(1, 1000), 0, 0);
            log.updateConfig(new LogConfig(1024, LogConfig.DEFAULT.segmentMs(), -1, -1, 100, false,
                    LogConfig.FlushPolicy.PAGE_CACHE, 1000, 4096));
            PartitionLogContractTest.assertLogError(io.sluice.proto.v1.ErrorCode.ERROR_CODE_BATCH_TOO_LARGE,
                    () -> log.appendAsLeader(batch(1, 1000, 200), 0, 0));
            assertEquals(100, log.config().maxMessageBytes());
        }
    }
}
