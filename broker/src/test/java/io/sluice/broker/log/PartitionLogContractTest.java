package io.sluice.broker.log;

import static io.sluice.broker.log.TestBatches.batch;
import static io.sluice.broker.log.TestBatches.bytes;
import static io.sluice.broker.log.TestBatches.concat;
import static io.sluice.broker.log.TestBatches.records;
import static io.sluice.broker.log.TestBatches.stored;
import static io.sluice.broker.log.TestBatches.validBatches;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.TimestampType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The {@link PartitionLog} contract, written once and run against every implementation (a subclass per
 * implementation supplies {@link #open}). Small segments make the Chronicle log roll often, so every
 * case also crosses segment boundaries there.
 */
abstract class PartitionLogContractTest {
    /** 1 KiB segments (about nine small batches), small index interval; otherwise the defaults. */
    static final LogConfig SMALL_SEGMENTS = new LogConfig(1024, LogConfig.DEFAULT.segmentMs(), -1, -1,
            64 * 1024, false, LogConfig.FlushPolicy.PAGE_CACHE, 1000, 512);

    private final List<PartitionLog> opened = new ArrayList<>();

    /** A new, empty log with {@code config}. */
    protected abstract PartitionLog create(LogConfig config);

    PartitionLog open(LogConfig config) {
        PartitionLog log = create(config);
        opened.add(log);
        return log;
    }

    PartitionLog open() {
        return open(SMALL_SEGMENTS);
    }

    @AfterEach
    void closeLogs() {
        opened.forEach(PartitionLog::close);
    }

    static LogException assertLogError(ErrorCode code, Executable call) {
        LogException e = assertThrows(LogException.class, call);
        assertEquals(code, e.errorCode(), e.getMessage());
        return e;
    }

    @Test
    void anEmptyLogHasNothingToRead() {
        PartitionLog log = open();
        assertEquals(0, log.logStartOffset());
        assertEquals(0, log.logEndOffset());
        assertEquals(-1, log.latestEpoch());
        assertEquals(0, log.read(0, 1000, Long.MAX_VALUE, true).sizeInBytes());
        assertLogError(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, () -> log.read(1, 1000, Long.MAX_VALUE, true));
        assertEquals(Optional.empty(), log.endOffsetForEpoch(0));
        assertEquals(Optional.empty(), log.offsetForTimestamp(0));
    }

    @Test
    void leaderAppendsGetConsecutiveOffsetsAndTheLeaderEpoch() {
        PartitionLog log = open();
        AppendInfo first = log.appendAsLeader(batch(3, 1000), 5, 2000);
        AppendInfo second = log.appendAsLeader(batch(1, 1010), 5, 2000);
        AppendInfo third = log.appendAsLeader(batch(4, 1020), 7, 2000);
        assertEquals(new AppendInfo(0, 2, 1002, -1, batch(3, 1000).remaining(), 1), first);
        assertEquals(3, second.firstOffset());
        assertEquals(4, third.firstOffset());
        assertEquals(7, third.lastOffset());
        assertEquals(8, log.logEndOffset());
        assertEquals(7, log.latestEpoch());

        List<RecordBatch> read = validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
        assertEquals(List.of(0L, 3L, 4L), read.stream().map(RecordBatch::baseOffset).toList());
        assertEquals(List.of(5, 5, 7), read.stream().map(RecordBatch::partitionLeaderEpoch).toList());
        List<Record> records = records(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
        assertEquals(8, records.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i, records.get(i).offset());
        }
    }

    @Test
    void theStoredBatchIsTheProducersBytesWithOffsetAndEpochStamped() {
        PartitionLog log = open();
        log.appendAsLeader(batch(2, 1000), 0, 0);
        ByteBuffer input = batch(3, 5000);
        byte[] before = bytes(input);
        log.appendAsLeader(input, 3, 0);
        assertArrayEquals(before, bytes(input), "the caller's buffer must not change");

        ByteBuffer expected = ByteBuffer.wrap(before.clone());
        RecordBatch.stampOffsetAndEpoch(expected, 2, 3);
        assertArrayEquals(bytes(expected), bytes(log.read(2, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()));
    }

    @Test
    void appendsFromSlicesAndReadOnlyAndDirectBuffersStoreTheSameBytes() {
        PartitionLog log = open();
        ByteBuffer plain = batch(2, 1000);
        byte[] raw = bytes(plain);
        ByteBuffer padded = ByteBuffer.allocate(raw.length + 10);
        padded.position(7);
        padded.put(raw);
        padded.position(7).limit(7 + raw.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.length).put(raw).flip();
        log.appendAsLeader(padded.slice(), 0, 0);
        log.appendAsLeader(ByteBuffer.wrap(raw).asReadOnlyBuffer(), 0, 0);
        log.appendAsLeader(direct, 0, 0);
        List<RecordBatch> read = validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
        assertEquals(3, read.size());
        for (RecordBatch batch : read) {
            ByteBuffer expected = ByteBuffer.wrap(raw.clone());
            RecordBatch.stampOffsetAndEpoch(expected, batch.baseOffset(), 0);
            assertArrayEquals(bytes(expected), bytes(batch.buffer()));
        }
    }

    @Test
    void logAppendTimeStampsTheBatchAndKeepsItsCrcValid() {
        LogConfig config = new LogConfig(1024, LogConfig.DEFAULT.segmentMs(), -1, -1, 64 * 1024, true,
                LogConfig.FlushPolicy.PAGE_CACHE, 1000, 512);
        PartitionLog log = open(config);
        AppendInfo info = log.appendAsLeader(batch(3, 1000), 1, 777_000);
        assertEquals(777_000, info.logAppendTimeMs());
        assertEquals(777_000, info.maxTimestampMs());
        RecordBatch stored = validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()).get(0);
        assertEquals(TimestampType.LOG_APPEND_TIME, stored.timestampType());
        assertEquals(777_000, stored.maxTimestamp());
        for (Record record : stored.records()) {
            assertEquals(777_000, record.timestampMs());
        }
    }

    @Test
    void invalidLeaderBatchesAreRefusedWithTheirCodeAndLeaveTheLogUnchanged() {
        PartitionLog log = open();
        log.appendAsLeader(batch(1, 1000), 0, 0);
        ByteBuffer corrupt = batch(2, 1000);
        corrupt.put(RecordBatch.HEADER_SIZE + 3, (byte) (corrupt.get(RecordBatch.HEADER_SIZE + 3) ^ 0x10));
        assertLogError(ErrorCode.ERROR_CODE_CORRUPT_BATCH, () -> log.appendAsLeader(corrupt, 0, 0));
        ByteBuffer wrongMagic = batch(2, 1000);
        wrongMagic.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        assertLogError(ErrorCode.ERROR_CODE_UNSUPPORTED_BATCH_VERSION, () -> log.appendAsLeader(wrongMagic, 0, 0));
        ByteBuffer cut = batch(2, 1000);
        cut.limit(cut.limit() - 1);
        assertLogError(ErrorCode.ERROR_CODE_INVALID_BATCH, () -> log.appendAsLeader(cut, 0, 0));
        assertLogError(ErrorCode.ERROR_CODE_BATCH_TOO_LARGE,
                () -> log.appendAsLeader(batch(1, 1000, 70 * 1024), 0, 0));
        assertEquals(1, log.logEndOffset());
        assertEquals(1, validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()).size());
    }

    @Test
    void aLeaderCannotAppendWithAnOlderEpoch() {
        PartitionLog log = open();
        log.appendAsLeader(batch(1, 1000), 4, 0);
        assertThrows(IllegalStateException.class, () -> log.appendAsLeader(batch(1, 1000), 3, 0));
        assertEquals(1, log.logEndOffset());
    }

    @Test
    void readStartsAtTheBatchHoldingTheOffsetAndReturnsWholeBatches() {
        PartitionLog log = open();
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(3, 1000 + i), 0, 0);
        }
        List<RecordBatch> fromInside = validBatches(log.read(4, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
        assertEquals(3, fromInside.get(0).baseOffset());
        assertEquals(9, fromInside.size());
        assertEquals(0, log.read(30, 1000, Long.MAX_VALUE, true).sizeInBytes(), "a read at the end is empty");
        assertLogError(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, () -> log.read(31, 1000, Long.MAX_VALUE, true));
        assertLogError(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, () -> log.read(-1, 1000, Long.MAX_VALUE, true));
    }

    @Test
    void readStopsBeforeTheBatchThatReachesMaxOffset() {
        PartitionLog log = open();
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(2, 1000), 0, 0);
        }
        List<RecordBatch> read = validBatches(log.read(0, Integer.MAX_VALUE, 5, false).records());
        assertEquals(List.of(0L, 2L), read.stream().map(RecordBatch::baseOffset).toList());
        assertEquals(0, log.read(4, Integer.MAX_VALUE, 5, true).sizeInBytes());
        assertEquals(0, log.read(0, Integer.MAX_VALUE, 0, true).sizeInBytes());
    }

    @Test
    void readRespectsMaxBytesExceptForTheFirstBatchWhenAsked() {
        PartitionLog log = open();
        int size = batch(2, 1000).remaining();
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(2, 1000), 0, 0);
        }
        assertEquals(2 * size, log.read(0, 2 * size + size - 1, Long.MAX_VALUE, false).sizeInBytes());
        assertEquals(0, log.read(0, size - 1, Long.MAX_VALUE, false).sizeInBytes());
        assertEquals(size, log.read(0, size - 1, Long.MAX_VALUE, true).sizeInBytes());
        assertEquals(size, log.read(0, 0, Long.MAX_VALUE, true).sizeInBytes());
    }

    @Test
    void theReadBufferBelongsToTheCaller() {
        PartitionLog log = open();
        log.appendAsLeader(batch(2, 1000), 0, 0);
        LogReadResult first = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false);
        first.records().put(0, (byte) 99);
        assertEquals(0, validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()).get(0)
                .baseOffset());
        assertEquals(0, first.logStartOffset());
        assertEquals(2, first.logEndOffset());
    }

    @Test
    void followerAppendsCopyTheLeadersBatchesByteForByte() {
        PartitionLog leader = open();
        leader.appendAsLeader(batch(2, 1000), 1, 0);
        leader.appendAsLeader(batch(3, 2000), 1, 0);
        leader.appendAsLeader(batch(1, 3000), 4, 0);
        ByteBuffer fetched = leader.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records();
        PartitionLog follower = open();
        AppendInfo info = follower.appendAsFollower(fetched.duplicate());
        assertEquals(new AppendInfo(0, 5, 3000, -1, fetched.remaining(), 3), info);
        assertArrayEquals(bytes(fetched), bytes(follower.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()));
        assertEquals(4, follower.latestEpoch());
        assertEquals(Optional.of(new EpochEndOffset(1, 5)), follower.endOffsetForEpoch(3));
        assertEquals(new AppendInfo(6, 5, -1, -1, 0, 0), follower.appendAsFollower(ByteBuffer.allocate(0)));
    }

    @Test
    void followerAppendsRefuseGapsOverlapsPartialCorruptAndOlderEpochBatches() {
        PartitionLog log = open();
        log.appendAsFollower(concat(List.of(stored(0, 2, 2, 1000), stored(2, 2, 1, 1000))));
        assertLogError(ErrorCode.ERROR_CODE_INVALID_BATCH, () -> log.appendAsFollower(stored(4, 2, 1, 1000)));
        assertLogError(ErrorCode.ERROR_CODE_INVALID_BATCH, () -> log.appendAsFollower(stored(2, 2, 1, 1000)));
        ByteBuffer partial = concat(List.of(stored(3, 2, 1, 1000), stored(4, 2, 1, 1000)));
        partial.limit(partial.limit() - 5);
        assertLogError(ErrorCode.ERROR_CODE_INVALID_BATCH, () -> log.appendAsFollower(partial));
        ByteBuffer corrupt = concat(List.of(stored(3, 2, 1, 1000), stored(4, 2, 1, 1000)));
        corrupt.put(corrupt.limit() - 2, (byte) (corrupt.get(corrupt.limit() - 2) ^ 1));
        assertLogError(ErrorCode.ERROR_CODE_CORRUPT_BATCH, () -> log.appendAsFollower(corrupt));
        assertLogError(ErrorCode.ERROR_CODE_INVALID_BATCH, () -> log.appendAsFollower(stored(3, 1, 1, 1000)));
        assertEquals(3, log.logEndOffset(), "a refused append leaves nothing behind, not even its valid first batch");
        log.appendAsFollower(stored(3, 2, 1, 1000));
        assertEquals(4, log.logEndOffset());
    }

    @Test
    void truncationRemovesTheBatchHoldingTheOffsetAndEverythingAfter() {
        PartitionLog log = open();
        for (int i = 0; i < 8; i++) {
            log.appendAsLeader(batch(3, 1000 + i), i < 4 ? 1 : 2, 0);
        }
        log.truncateTo(100);
        assertEquals(24, log.logEndOffset(), "truncating past the end does nothing");
        log.truncateTo(13);
        assertEquals(12, log.logEndOffset());
        assertEquals(Optional.of(new EpochEndOffset(1, 12)), log.endOffsetForEpoch(2));
        assertEquals(1, log.latestEpoch());
        log.truncateTo(9);
        assertEquals(9, log.logEndOffset());
        List<RecordBatch> left = validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
        assertEquals(3, left.size());
        AppendInfo next = log.appendAsLeader(batch(1, 5000), 3, 0);
        assertEquals(9, next.firstOffset());
        assertEquals(Optional.of(new EpochEndOffset(1, 9)), log.endOffsetForEpoch(2));
        assertEquals(10, validBatches(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()).stream()
                .mapToLong(RecordBatch::nextOffset).max().orElseThrow());
        log.truncateTo(0);
        assertEquals(0, log.logEndOffset());
        assertEquals(-1, log.latestEpoch());
        assertEquals(0, log.read(0, 1000, Long.MAX_VALUE, true).sizeInBytes());
    }

    @Test
    void truncationBelowTheLogStartIsRefused() {
        PartitionLog log = open();
        for (int i = 0; i < 4; i++) {
            log.appendAsLeader(batch(2, 1000), 0, 0);
        }
        log.deleteRecordsBefore(4);
        assertThrows(IllegalArgumentException.class, () -> log.truncateTo(3));
        log.truncateTo(5);
        assertEquals(4, log.logEndOffset());
        assertEquals(4, log.logStartOffset());
    }

    @Test
    void truncateFullyRestartsTheLogAtTheOffset() {
        PartitionLog log = open();
        for (int i = 0; i < 6; i++) {
            log.appendAsLeader(batch(2, 1000), 2, 0);
        }
        log.truncateFullyAndStartAt(500);
        assertEquals(500, log.logStartOffset());
        assertEquals(500, log.logEndOffset());
        assertEquals(-1, log.latestEpoch());
        assertLogError(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, () -> log.read(0, 1000, Long.MAX_VALUE, true));
        assertEquals(500, log.appendAsFollower(stored(500, 3, 2, 1000)).firstOffset());
        assertEquals(502, log.logEndOffset());
        log.truncateFullyAndStartAt(2);
        assertEquals(2, log.logEndOffset());
        assertEquals(2, log.appendAsLeader(batch(1, 1000), 4, 0).firstOffset());
    }

    @Test
    void endOffsetForEpochAnswersFromTheHistory() {
        PartitionLog log = open();
        log.appendAsLeader(batch(2, 1000), 1, 0);
        log.appendAsLeader(batch(2, 1000), 1, 0);
        log.appendAsLeader(batch(3, 1000), 3, 0);
        log.appendAsLeader(batch(1, 1000), 6, 0);
        assertEquals(Optional.empty(), log.endOffsetForEpoch(0));
        assertEquals(Optional.of(new EpochEndOffset(1, 4)), log.endOffsetForEpoch(1));
        assertEquals(Optional.of(new EpochEndOffset(1, 4)), log.endOffsetForEpoch(2));
        assertEquals(Optional.of(new EpochEndOffset(3, 7)), log.endOffsetForEpoch(5));
        assertEquals(Optional.of(new EpochEndOffset(6, 8)), log.endOffsetForEpoch(6));
        assertEquals(Optional.of(new EpochEndOffset(6, 8)), log.endOffsetForEpoch(100));
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordThatLate() {
        PartitionLog log = open();
        log.appendAsLeader(batch(3, 1000), 1, 0);
        log.appendAsLeader(batch(3, 2000), 2, 0);
        log.appendAsLeader(batch(3, 1500), 2, 0);
        assertEquals(Optional.of(new TimestampOffset(0, 1000, 1)), log.offsetForTimestamp(0));
        assertEquals(Optional.of(new TimestampOffset(2, 1002, 1)), log.offsetForTimestamp(1002));
        assertEquals(Optional.of(new TimestampOffset(3, 2000, 2)), log.offsetForTimestamp(1003));
        assertEquals(Optional.of(new TimestampOffset(5, 2002, 2)), log.offsetForTimestamp(2002));
        assertEquals(Optional.empty(), log.offsetForTimestamp(2003));
        log.deleteRecordsBefore(4);
        assertEquals(Optional.of(new TimestampOffset(4, 2001, 2)), log.offsetForTimestamp(0));
    }

    @Test
    void deleteRecordsMovesTheStartForwardOnly() {
        PartitionLog log = open();
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(3, 1000 + i), 0, 0);
        }
        assertEquals(10, log.deleteRecordsBefore(10));
        assertEquals(10, log.logStartOffset());
        assertEquals(10, log.deleteRecordsBefore(5));
        assertLogError(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, () -> log.read(9, 1000, Long.MAX_VALUE, true));
        RecordBatch first = validBatches(log.read(10, 1000, Long.MAX_VALUE, true).records()).get(0);
        assertEquals(9, first.baseOffset(), "a read inside a batch returns it from its start");
        assertEquals(60, log.deleteRecordsBefore(1000), "never past the end");
        assertEquals(60, log.logEndOffset());
        assertEquals(0, log.read(60, 1000, Long.MAX_VALUE, true).sizeInBytes());
        assertEquals(60, log.appendAsLeader(batch(1, 1000), 0, 0).firstOffset());
    }

    @Test
    void flushAndMaintenanceKeepTheContent() {
        PartitionLog log = open();
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(2, 1000), 0, 0);
        }
        byte[] before = bytes(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
        log.flush();
        log.maintain(0, log.logEndOffset());
        assertArrayEquals(before, bytes(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records()));
    }

    @Test
    void aClosedLogRefusesWork() {
        PartitionLog log = open();
        log.appendAsLeader(batch(1, 1000), 0, 0);
        log.close();
        assertLogError(ErrorCode.ERROR_CODE_STORAGE_ERROR, () -> log.appendAsLeader(batch(1, 1000), 0, 0));
        assertLogError(ErrorCode.ERROR_CODE_STORAGE_ERROR, () -> log.read(0, 100, Long.MAX_VALUE, true));
        log.close();
    }
}
