package io.sluice.broker.log;

import io.sluice.broker.log.internal.EpochHistory;
import io.sluice.broker.log.internal.ReplicaBatches;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link PartitionLog} held in memory, for deterministic simulations and as the reference the
 * Chronicle log is tested against. Same contract, no files: nothing survives the object, and
 * {@link #flush()} and retention by time or size are no-ops beyond what the contract requires.
 *
 * <p>Thread-safe by a single lock; readers get copies.
 */
public final class InMemoryLog implements PartitionLog {
    private final LogConfig config;
    /** Stored batches (with offsets and epochs stamped) by base offset. */
    private final NavigableMap<Long, byte[]> batches = new TreeMap<>();
    /** Leader-epoch history: epoch to the offset of its first batch. */
    private final EpochHistory epochs = new EpochHistory();
    private long logStartOffset;
    private long logEndOffset;
    private boolean closed;

    public InMemoryLog(LogConfig config) {
        this(config, 0L);
    }

    public InMemoryLog(LogConfig config, long startOffset) {
        this.config = config;
        this.logStartOffset = startOffset;
        this.logEndOffset = startOffset;
    }

    @Override
    public synchronized long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public synchronized long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public synchronized int latestEpoch() {
        return epochs.latestEpoch();
    }

    @Override
    public synchronized AppendInfo appendAsLeader(ByteBuffer batch, int leaderEpoch, long appendTimeMs) {
        ensureOpen();
        byte[] copy = new byte[batch.remaining()];
        batch.duplicate().get(copy);
        ByteBuffer stored = ByteBuffer.wrap(copy);
        RecordBatch view = ReplicaBatches.validated(stored, config.maxMessageBytes());
        if (leaderEpoch < latestEpoch()) {
            throw new IllegalStateException("leader epoch " + leaderEpoch + " is older than the log's "
                    + latestEpoch());
        }
        RecordBatch.stampOffsetAndEpoch(stored, logEndOffset, leaderEpoch);
        long logAppendTime = -1;
        if (config.logAppendTime()) {
            RecordBatch.stampLogAppendTime(stored, appendTimeMs);
            logAppendTime = appendTimeMs;
        }
        view = RecordBatch.wrap(stored);
        store(view, copy);
        return new AppendInfo(view.baseOffset(), view.lastOffset(), view.maxTimestamp(), logAppendTime,
                copy.length, 1);
    }

    private void store(RecordBatch view, byte[] bytes) {
        batches.put(view.baseOffset(), bytes);
        epochs.assign(view.partitionLeaderEpoch(), view.baseOffset());
        logEndOffset = view.nextOffset();
    }

    @Override
    public synchronized AppendInfo appendAsFollower(ByteBuffer input) {
        ensureOpen();
        ReplicaBatches checked = ReplicaBatches.validate(input, logEndOffset, latestEpoch());
        if (checked.count() == 0) {
            return new AppendInfo(logEndOffset, logEndOffset - 1, -1, -1, 0, 0);
        }
        for (int i = 0; i < checked.count(); i++) {
            byte[] copy = new byte[checked.size(i)];
            checked.batch(i).get(copy);
            store(RecordBatch.wrap(copy), copy);
        }
        return new AppendInfo(checked.baseOffset(0), checked.lastOffset(checked.count() - 1), checked.maxTimestamp(),
                -1, checked.totalBytes(), checked.count());
    }

    @Override
    public synchronized LogReadResult read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) {
        ensureOpen();
        if (startOffset < logStartOffset || startOffset > logEndOffset) {
            throw new LogException(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, "offset " + startOffset
                    + " is outside [" + logStartOffset + ", " + logEndOffset + "]");
        }
        Long from = batches.floorKey(startOffset);
        if (from == null || RecordBatch.wrap(batches.get(from)).lastOffset() < startOffset) {
            // No stored batch holds startOffset (it is the log end, or the start after a deletion).
            from = startOffset;
        }
        List<byte[]> picked = new ArrayList<>();
        int total = 0;
        for (byte[] bytes : batches.tailMap(from, true).values()) {
            RecordBatch view = RecordBatch.wrap(bytes);
            if (view.lastOffset() < startOffset) {
                continue;
            }
            if (view.lastOffset() >= maxOffset) {
                break;
            }
            boolean first = picked.isEmpty();
            if (total + bytes.length > maxBytes && !(first && minOneBatch)) {
                break;
            }
            picked.add(bytes);
            total += bytes.length;
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        picked.forEach(out::put);
        return new LogReadResult(out.flip(), logStartOffset, logEndOffset);
    }

    @Override
    public synchronized void truncateTo(long offset) {
        ensureOpen();
        if (offset >= logEndOffset) {
            return;
        }
        if (offset < logStartOffset) {
            throw new IllegalArgumentException("cannot truncate to " + offset + " below the log start "
                    + logStartOffset);
        }
        Long containing = batches.floorKey(offset);
        long cut = containing == null ? offset : containing;
        batches.tailMap(cut, true).clear();
        logEndOffset = batches.isEmpty() ? Math.max(logStartOffset, cut)
                : RecordBatch.wrap(batches.lastEntry().getValue()).nextOffset();
        epochs.truncateFromEnd(logEndOffset);
    }

    @Override
    public synchronized void truncateFullyAndStartAt(long offset) {
        ensureOpen();
        batches.clear();
        epochs.clear();
        logStartOffset = offset;
        logEndOffset = offset;
    }

    @Override
    public synchronized Optional<EpochEndOffset> endOffsetForEpoch(int epoch) {
        return epochs.endOffsetFor(epoch, logEndOffset);
    }

    @Override
    public synchronized Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        for (byte[] bytes : batches.values()) {
            RecordBatch view = RecordBatch.wrap(bytes);
            if (view.maxTimestamp() < timestampMs) {
                continue;
            }
            for (Record record : view.records()) {
                if (record.offset() >= logStartOffset && record.timestampMs() >= timestampMs) {
                    return Optional.of(new TimestampOffset(record.offset(), record.timestampMs(),
                            view.partitionLeaderEpoch()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized long deleteRecordsBefore(long offset) {
        ensureOpen();
        long target = Math.min(offset, logEndOffset);
        if (target <= logStartOffset) {
            return logStartOffset;
        }
        logStartOffset = target;
        epochs.truncateFromStart(logStartOffset, logEndOffset);
        while (!batches.isEmpty()) {
            RecordBatch first = RecordBatch.wrap(batches.firstEntry().getValue());
            if (first.lastOffset() >= logStartOffset) {
                break;
            }
            batches.pollFirstEntry();
        }
        return logStartOffset;
    }

    @Override
    public void flush() {
        // Nothing to force: memory is the only storage.
    }

    @Override
    public int maintain(long nowMs, long highWatermark) {
        return 0;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, "the log is closed");
        }
    }
}
