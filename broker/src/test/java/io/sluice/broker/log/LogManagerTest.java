package io.sluice.broker.log;

import static io.sluice.broker.log.PartitionLogContractTest.assertLogError;
import static io.sluice.broker.log.TestBatches.batch;
import static io.sluice.broker.log.TestBatches.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.log.internal.CheckpointFiles;
import io.sluice.common.ManualClock;
import io.sluice.common.SystemClock;
import io.sluice.proto.v1.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The log manager: directories, start-up, deletion, maintenance with the owner's high watermark, disk full. */
@ExtendWith(NoMappingLeaks.class)
class LogManagerTest {
    static final LogConfig SMALL = PartitionLogContractTest.SMALL_SEGMENTS;
    static final TopicIdPartition A0 = new TopicIdPartition(UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427"), 0);
    static final TopicIdPartition A1 = new TopicIdPartition(A0.topicId(), 1);
    static final TopicIdPartition B7 = new TopicIdPartition(UUID.fromString("00000000-0000-0000-0000-00000000000b"), 7);

    @TempDir
    Path dataDir;
    final ManualClock clock = new ManualClock(1_000_000);
    final AtomicLong freeBytes = new AtomicLong(100L << 30);
    final Map<TopicIdPartition, Long> highWatermarks = new ConcurrentHashMap<>();

    StorageConfig config(long idleUnmapMs) {
        return new StorageConfig(dataDir, SMALL, 1 << 20, 1000, 60_000, idleUnmapMs, 4);
    }

    LogManager open() {
        return LogManager.open(config(60_000), clock, p -> highWatermarks.getOrDefault(p, -1L), freeBytes::get);
    }

    @Test
    void logsLiveInTopicIdPartitionDirectoriesAndAreOpenedAgainAtStartUp() {
        byte[] a0;
        byte[] b7;
        try (LogManager manager = open()) {
            ChronicleLog log = manager.getOrCreateLog(A0, SMALL);
            assertSame(log, manager.getOrCreateLog(A0, SMALL));
            for (int i = 0; i < 20; i++) {
                log.appendAsLeader(batch(2, 1000 + i), 1, 0);
            }
            manager.getOrCreateLog(A1, SMALL);
            manager.getOrCreateLog(B7, SMALL).appendAsLeader(batch(5, 1000), 3, 0);
            assertTrue(Files.isDirectory(dataDir.resolve("1b4e28ba-2fa1-11d2-883f-0016d3cca427-0")));
            assertTrue(Files.isDirectory(dataDir.resolve("00000000-0000-0000-0000-00000000000b-7")));
            a0 = bytes(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
            b7 = bytes(manager.log(B7).orElseThrow().read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
        }
        try (LogManager manager = open()) {
            assertEquals(Set.of(A0, A1, B7), manager.partitions());
            ChronicleLog log = manager.log(A0).orElseThrow();
            assertArrayEquals(a0, bytes(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()));
            assertArrayEquals(b7, bytes(manager.log(B7).orElseThrow().read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false)
                    .records()));
            assertEquals(0, manager.log(A1).orElseThrow().logEndOffset());
            LogConfig changed = new LogConfig(2048, 1000, -1, -1, 512, false, LogConfig.FlushPolicy.PAGE_CACHE, 1000,
                    4096);
            assertSame(log, manager.getOrCreateLog(A0, changed));
            assertEquals(changed, log.config());
        }
    }

    @Test
    void aDeletedLogLeavesNothingAndMayBeCreatedAgain() throws IOException {
        try (LogManager manager = open()) {
            ChronicleLog log = manager.getOrCreateLog(A0, SMALL);
            log.appendAsLeader(batch(2, 1000), 1, 0);
            manager.deleteLog(A0);
            assertFalse(Files.exists(dataDir.resolve(A0.dirName())));
            assertLogError(ErrorCode.ERROR_CODE_STORAGE_ERROR, () -> log.read(0, 100, Long.MAX_VALUE, true));
            assertEquals(0, manager.getOrCreateLog(A0, SMALL).logEndOffset());
            manager.deleteLog(B7);
        }
        try (var entries = Files.list(dataDir)) {
            assertEquals(Set.of(".lock", A0.dirName()), Set.copyOf(entries.map(p -> p.getFileName().toString())
                    .toList()));
        }
    }

    @Test
    void startUpRemovesInterruptedDeletionsIgnoresStrangersAndKeepsABrokenLogOffline() throws IOException {
        Files.createDirectories(dataDir.resolve(A1.dirName() + ".3.deleted").resolve("junk"));
        Files.createDirectories(dataDir.resolve("lost+found"));
        Files.createDirectories(dataDir.resolve(B7.dirName()).resolve("00000000000000000000.log"));
        try (LogManager manager = open()) {
            manager.getOrCreateLog(A0, SMALL).appendAsLeader(batch(1, 1000), 0, 0);
        }
        try (LogManager manager = open()) {
            assertFalse(Files.exists(dataDir.resolve(A1.dirName() + ".3.deleted")));
            assertEquals(Set.of(A0), manager.partitions());
            assertEquals(Set.of(B7), manager.offlineLogs().keySet());
            assertLogError(ErrorCode.ERROR_CODE_STORAGE_ERROR, () -> manager.getOrCreateLog(B7, SMALL));
            assertEquals(1, manager.log(A0).orElseThrow().logEndOffset());
        }
    }

    @Test
    void aSecondManagerCannotOpenTheSameDirectory() {
        try (LogManager manager = open()) {
            assertLogError(ErrorCode.ERROR_CODE_STORAGE_ERROR, this::open);
            assertTrue(manager.partitions().isEmpty());
        }
        open().close();
    }

    @Test
    void maintenanceDeletesOnlyBelowTheOwnersHighWatermark() {
        LogConfig retained = new LogConfig(1024, LogConfig.DEFAULT.segmentMs(), -1, 2048, 64 * 1024, false,
                LogConfig.FlushPolicy.PAGE_CACHE, 1000, 512);
        try (LogManager manager = open()) {
            ChronicleLog log = manager.getOrCreateLog(A0, retained);
            for (int i = 0; i < 60; i++) {
                log.appendAsLeader(batch(2, 1000), 0, 0);
            }
            int segments = log.segmentCount();
            assertEquals(0, manager.poll(clock.wallMs()), "no high watermark known: nothing deleted");
            highWatermarks.put(A0, 30L);
            int deleted = manager.poll(clock.wallMs());
            assertTrue(deleted > 0);
            assertTrue(log.logStartOffset() <= 30 && log.logStartOffset() > 0, "start " + log.logStartOffset());
            highWatermarks.put(A0, log.logEndOffset());
            manager.poll(clock.wallMs());
            assertTrue(log.sizeInBytes() >= 2048 && log.sizeInBytes() < 2048 + 1024, "size " + log.sizeInBytes());
            assertTrue(log.segmentCount() < segments);
        }
    }

    @Test
    void changedRecoveryPointsAreSavedEveryCheckpointInterval() throws IOException {
        LogConfig everyBatch = new LogConfig(1024, LogConfig.DEFAULT.segmentMs(), -1, -1, 64 * 1024, false,
                LogConfig.FlushPolicy.EVERY_BATCH, 1000, 512);
        try (LogManager manager = open()) {
            ChronicleLog log = manager.getOrCreateLog(A0, everyBatch);
            log.appendAsLeader(batch(3, 1000), 0, 0);
            Path dir = dataDir.resolve(A0.dirName());
            assertEquals(Optional.empty(), CheckpointFiles.readRecoveryPoint(dir), "a new log writes no checkpoint");
            clock.advanceMs(59_999);
            manager.poll(clock.wallMs());
            assertEquals(Optional.empty(), CheckpointFiles.readRecoveryPoint(dir));
            clock.advanceMs(1);
            manager.poll(clock.wallMs());
            assertEquals(3, CheckpointFiles.readRecoveryPoint(dir).orElseThrow().offset());
            assertEquals(1, CheckpointFiles.readEpochs(dir).orElseThrow().size());
        }
    }

    @Test
    void belowTheFreeSpaceThresholdAppendsAreRefusedAndReadsGoOn() {
        try (LogManager manager = open()) {
            ChronicleLog log = manager.getOrCreateLog(A0, SMALL);
            log.appendAsLeader(batch(2, 1000), 0, 0);
            freeBytes.set((1 << 20) - 1);
            manager.poll(clock.wallMs());
            assertTrue(manager.diskSpaceGuard().isFull());
            assertLogError(ErrorCode.ERROR_CODE_STORAGE_FULL, () -> log.appendAsLeader(batch(2, 1000), 0, 0));
            assertLogError(ErrorCode.ERROR_CODE_STORAGE_FULL,
                    () -> log.appendAsFollower(TestBatches.stored(2, 0, 1, 1000)));
            assertEquals(2, log.logEndOffset());
            assertEquals(2, TestBatches.records(log.read(0, 1000, Long.MAX_VALUE, true).records()).size());
            freeBytes.set(100L << 30);
            assertEquals(2, log.appendAsLeader(batch(2, 1000), 0, 0).firstOffset());
            assertFalse(manager.diskSpaceGuard().isFull());
        }
    }

    @Test
    void freeSpaceIsCheckedBeforeMappingMoreOfAFile() {
        try (LogManager manager = open()) {
            ChronicleLog log = manager.getOrCreateLog(A0, LogConfig.DEFAULT);
            freeBytes.set((1 << 20) + (512 << 10));
            LogException refused = assertLogError(ErrorCode.ERROR_CODE_STORAGE_FULL,
                    () -> log.appendAsLeader(batch(2, 1000), 0, 0));
            assertTrue(refused.getMessage().contains("mapping"), refused.getMessage());
            assertEquals(0, log.logEndOffset());
            assertEquals(0, log.mappedSegmentCount());
        }
    }

    @Test
    void theDriverRunsMaintenanceOnItsOwnThread() throws InterruptedException {
        StorageConfig fast = new StorageConfig(dataDir, SMALL, 1 << 20, 20, 60_000, 0, 2);
        try (LogManager manager = LogManager.open(fast, SystemClock.INSTANCE, HighWatermarkSource.UNKNOWN,
                freeBytes::get)) {
            ChronicleLog log = manager.getOrCreateLog(A0, SMALL);
            log.appendAsLeader(batch(2, 1000), 0, 0);
            assertEquals(1, manager.mappedSegmentCount());
            try (LogMaintenanceDriver driver = LogMaintenanceDriver.start(manager, SystemClock.INSTANCE)) {
                for (int i = 0; i < 1000 && manager.mappedSegmentCount() > 0; i++) {
                    Thread.sleep(10);
                }
                assertEquals(0, manager.mappedSegmentCount(), "the idle segment was unmapped by the driver");
            }
        }
    }
}
