package io.sluice.broker.log;

import io.sluice.broker.log.internal.AtomicFiles;
import io.sluice.broker.log.internal.BatchWriter;
import io.sluice.broker.log.internal.EpochHistory;
import io.sluice.broker.log.internal.LogDurability;
import io.sluice.broker.log.internal.LogLoader;
import io.sluice.broker.log.internal.LogReader;
import io.sluice.broker.log.internal.LogSegment;
import io.sluice.broker.log.internal.RecoveryPoint;
import io.sluice.broker.log.internal.ReplicaBatches;
import io.sluice.broker.log.internal.Retention;
import io.sluice.broker.log.internal.SegmentList;
import io.sluice.broker.log.internal.SegmentMapping;
import io.sluice.common.Clock;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PartitionLog} of one partition replica on disk: a directory of segments written through
 * Chronicle-Bytes memory mappings, with sparse offset and time indexes, a leader-epoch checkpoint and
 * a recovery-point checkpoint. The layout, the file formats, the crash policy and the durability of
 * each flush policy are described in {@code docs/storage.md}.
 *
 * <p>Appends are a bulk copy of the batch into the active segment's mapping plus the header fields
 * the leader stamps (offset and epoch; the append time and the CRC under LogAppendTime); the segment
 * size that readers see moves only after the whole batch is written. Reads copy whole batches out in
 * bulk ({@link LogReader}). Retention deletes whole segments; a segment being read is unmapped only
 * after its last reader is done. Recovery after an unclean stop is {@link LogLoader}'s job, flushing
 * and checkpoints {@link LogDurability}'s.
 *
 * <p>Threading: every method is thread-safe. Mutations (appends, truncation, deleteRecords,
 * maintenance, close) are serialized by one lock; reads never take it and run concurrently with
 * appends. Truncation, the only operation that rewrites bytes a reader may see, additionally takes
 * a {@link StampedLock} exclusively, which readers validate optimistically. Flushes run under the
 * durability lock only, so the maintenance thread's msync does not block appends under the
 * page-cache and interval policies. Lock order: mutation lock, truncation lock, durability lock.
 *
 * <p>An I/O error during a mutation puts the log in a failed state: later mutations throw
 * {@code STORAGE_ERROR}; reads go on while they can. Closing releases every mapping.
 */
public final class ChronicleLog implements PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleLog.class);
    /** Where {@link #saveStopState} keeps the owner's state between a clean stop and the next start. */
    public static final String STOP_STATE_FILE = "stop-state";

    private final Path dir;
    /** Whether opening the log recovered batches past its recovery point: its last stop was not clean. */
    private final boolean recoveredAtOpen;
    private final Clock clock;
    private final DiskSpaceGuard guard;
    private final long idleUnmapMs;
    private volatile LogConfig config;

    private final ReentrantLock mutex = new ReentrantLock();
    private final StampedLock truncationLock = new StampedLock();
    private final EpochHistory epochs;
    private final LogDurability durability;
    private final LogReader reader;
    private final BatchWriter writer = new BatchWriter();

    private volatile SegmentList segments;
    private volatile long logEndOffset;
    private volatile boolean closed;
    private volatile LogException failure;

    @FunctionalInterface
    private interface Mutation<T> {
        T apply() throws IOException;
    }

    private ChronicleLog(Path dir, LogConfig config, Clock clock, DiskSpaceGuard guard, long idleUnmapMs,
            LogLoader.Loaded loaded) {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.guard = guard;
        this.idleUnmapMs = idleUnmapMs;
        this.epochs = loaded.epochs();
        this.segments = new SegmentList(loaded.segments(), loaded.logStartOffset());
        this.logEndOffset = loaded.logEndOffset();
        this.durability = new LogDurability(dir, epochs, () -> segments, loaded.recoveryPoint(), !loaded.recovered(),
                clock.wallMs());
        this.recoveredAtOpen = loaded.recovered();
        this.reader = new LogReader(new LogReader.View() {
            @Override
            public long logEndOffset() {
                return logEndOffset;
            }

            @Override
            public SegmentList segments() {
                return segments;
            }
        }, truncationLock, clock, () -> this.config.indexIntervalBytes());
    }

    /**
     * Opens the log in {@code dir}, creating the directory if needed and recovering it if it was not
     * closed cleanly (see {@link LogLoader}).
     *
     * @param dir         the partition replica's directory
     * @param config      its topic's settings ({@link #updateConfig} changes them later)
     * @param clock       time for roll by age, flush intervals and idleness
     * @param guard       the data directory's free-space guard
     * @param idleUnmapMs unmap a segment nobody read or wrote for this long (checked by {@link #maintain})
     * @throws LogException STORAGE_ERROR when the directory cannot be read or recovered
     */
    public static ChronicleLog open(Path dir, LogConfig config, Clock clock, DiskSpaceGuard guard, long idleUnmapMs) {
        try {
            boolean created = !Files.isDirectory(dir);
            LogLoader.Loaded loaded = LogLoader.load(dir, config.indexIntervalBytes(), clock.wallMs());
            ChronicleLog log = new ChronicleLog(dir, config, clock, guard, idleUnmapMs, loaded);
            if (loaded.created()) {
                log.durability.markDirectoryChanged();
            }
            if (created) {
                log.durability.markParentChanged();
            }
            if (loaded.recovered()) {
                log.durability.run(log.durability::writeCheckpoints);
            }
            return log;
        } catch (IOException e) {
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, "cannot open the log in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** The partition replica's directory. */
    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies new topic settings; they take effect with the next append or maintenance pass. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    @Override
    public long logStartOffset() {
        return segments.logStartOffset();
    }

    @Override
    public long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public int latestEpoch() {
        return epochs.latestEpoch();
    }

    // ------------------------------------------------------------------------------------ appends

    @Override
    public AppendInfo appendAsLeader(ByteBuffer batch, int leaderEpoch, long appendTimeMs) {
        return mutate("append", () -> {
            LogConfig cfg = config;
            RecordBatch view = ReplicaBatches.validated(batch, cfg.maxMessageBytes());
            if (leaderEpoch < epochs.latestEpoch()) {
                throw new IllegalStateException("leader epoch " + leaderEpoch + " is older than the log's "
                        + epochs.latestEpoch());
            }
            int size = view.sizeInBytes();
            guard.checkAppend(size);
            long baseOffset = logEndOffset;
            long lastOffset = baseOffset + view.lastOffsetDelta();
            long maxTimestamp = cfg.logAppendTime() ? appendTimeMs : view.maxTimestamp();
            LogSegment segment = segmentFor(size, cfg);
            int position = segment.size();
            SegmentMapping mapping = segment.acquireForWrite(position + size, cfg.segmentBytes(), guard,
                    clock.monotonicMs());
            try {
                writer.copy(mapping, position, batch, batch.position(), size);
                writer.stampLeaderFields(mapping, position, baseOffset, leaderEpoch);
                if (cfg.logAppendTime()) {
                    writer.stampLogAppendTime(mapping, position, batch, appendTimeMs);
                }
            } finally {
                segment.release(mapping);
            }
            segment.onAppended(position, baseOffset, lastOffset, maxTimestamp, size);
            epochs.assign(leaderEpoch, baseOffset);
            publish(segment, position + size, lastOffset + 1);
            afterAppend(cfg);
            return new AppendInfo(baseOffset, lastOffset, maxTimestamp, cfg.logAppendTime() ? appendTimeMs : -1,
                    size, 1);
        });
    }

    @Override
    public AppendInfo appendAsFollower(ByteBuffer batches) {
        return mutate("append", () -> {
            ReplicaBatches input = ReplicaBatches.validate(batches, logEndOffset, epochs.latestEpoch());
            if (input.count() == 0) {
                return new AppendInfo(logEndOffset, logEndOffset - 1, -1, -1, 0, 0);
            }
            guard.checkAppend(input.totalBytes());
            LogConfig cfg = config;
            int next = 0;
            while (next < input.count()) {
                next = appendRun(input, next, cfg);
            }
            afterAppend(cfg);
            return new AppendInfo(input.baseOffset(0), input.lastOffset(input.count() - 1), input.maxTimestamp(),
                    -1, input.totalBytes(), input.count());
        });
    }

    /** Appends the replicated batches from {@code first} that fit the active segment, with one copy. */
    private int appendRun(ReplicaBatches input, int first, LogConfig cfg) throws IOException {
        LogSegment segment = segmentFor(input.size(first), cfg);
        int position = segment.size();
        int end = first + 1;
        long bytes = input.size(first);
        while (end < input.count() && position + bytes + input.size(end) <= cfg.segmentBytes()) {
            bytes += input.size(end);
            end++;
        }
        SegmentMapping mapping = segment.acquireForWrite(Math.toIntExact(position + bytes), cfg.segmentBytes(),
                guard, clock.monotonicMs());
        try {
            writer.copy(mapping, position, input.buffer(), input.position(first), (int) bytes);
        } finally {
            segment.release(mapping);
        }
        int at = position;
        for (int i = first; i < end; i++) {
            segment.onAppended(at, input.baseOffset(i), input.lastOffset(i), input.maxTimestamp(i), input.size(i));
            epochs.assign(input.epoch(i), input.baseOffset(i));
            at += input.size(i);
        }
        publish(segment, at, input.lastOffset(end - 1) + 1);
        return end;
    }

    /** Makes the appended batches visible: segment size first, then the log end. */
    private void publish(LogSegment segment, int size, long nextOffset) {
        segment.publish(size, nextOffset);
        logEndOffset = nextOffset;
    }

    /** Under {@code EVERY_BATCH}, forces what was just appended before the append returns. */
    private void afterAppend(LogConfig cfg) throws IOException {
        if (cfg.flushPolicy() == LogConfig.FlushPolicy.EVERY_BATCH) {
            durability.run(() -> durability.flushThrough(true, clock.wallMs()));
        }
    }

    /** The segment the next batch goes to: the active one, or a new one when it is full or old. */
    private LogSegment segmentFor(int batchBytes, LogConfig cfg) throws IOException {
        LogSegment active = segments.active();
        boolean full = (long) active.size() + batchBytes > cfg.segmentBytes();
        boolean old = clock.wallMs() - active.createdMs() >= cfg.segmentMs();
        return active.size() > 0 && (full || old) ? roll() : active;
    }

    /** Seals the active segment and starts a new one at the log end. Caller holds the mutex. */
    private LogSegment roll() throws IOException {
        LogSegment old = segments.active();
        LogSegment fresh = LogSegment.create(dir, logEndOffset, config.indexIntervalBytes(), clock.wallMs());
        durability.markDirectoryChanged();
        old.seal();
        List<LogSegment> list = segments.toList();
        list.add(fresh);
        segments = new SegmentList(list, segments.logStartOffset());
        return fresh;
    }

    // ------------------------------------------------------------------------------------ reads

    @Override
    public LogReadResult read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) {
        ensureOpen();
        return reader.read(startOffset, maxBytes, maxOffset, minOneBatch);
    }

    @Override
    public Optional<EpochEndOffset> endOffsetForEpoch(int epoch) {
        return epochs.endOffsetFor(epoch, logEndOffset);
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        ensureOpen();
        return reader.offsetForTimestamp(timestampMs);
    }

    // ------------------------------------------------------------------------------------ truncation

    @Override
    public void truncateTo(long offset) {
        mutate("truncation", () -> {
            if (offset >= logEndOffset) {
                return null;
            }
            if (offset < logStartOffset()) {
                throw new IllegalArgumentException("cannot truncate to " + offset + " below the log start "
                        + logStartOffset());
            }
            exclusively(() -> cut(offset));
            return null;
        });
    }

    @Override
    public void truncateFullyAndStartAt(long offset) {
        mutate("truncation", () -> {
            exclusively(() -> restartAt(offset, true));
            return null;
        });
    }

    /** Runs {@code action} with readers fenced off (truncation lock) and no flush running. */
    private void exclusively(LogDurability.IoAction action) throws IOException {
        long stamp = truncationLock.writeLock();
        try {
            durability.run(action);
        } finally {
            truncationLock.unlockWrite(stamp);
        }
    }

    /** Removes the batch holding {@code offset} and everything after it. Caller holds every lock. */
    private void cut(long offset) throws IOException {
        SegmentList list = segments;
        int index = list.floorIndex(offset);
        LogSegment segment = list.get(index);
        LogConfig cfg = config;
        SegmentMapping mapping = segment.acquireForWrite(Math.max(segment.size(), 1), cfg.segmentBytes(), null,
                clock.monotonicMs());
        try {
            BatchWriter.Cut cut = BatchWriter.findCut(mapping, segment, offset);
            if (cut.offset() < list.logStartOffset()) {
                // Everything left would lie below the log start: start empty there.
                restartAt(list.logStartOffset(), false);
                return;
            }
            epochs.truncateFromEnd(cut.offset());
            durability.lowerTo(new RecoveryPoint(cut.offset(), segment.baseOffset(), cut.position(),
                    list.logStartOffset()));
            segments = new SegmentList(list.toList().subList(0, index + 1), list.logStartOffset());
            for (int i = index + 1; i < list.size(); i++) {
                list.get(i).delete();
            }
            segment.truncate(mapping, cut.position(), cut.offset(), cut.maxTimestamp(), cut.lastBatchBaseOffset(),
                    cfg.indexIntervalBytes());
            logEndOffset = cut.offset();
            durability.markDirectoryChanged();
        } finally {
            segment.release(mapping);
        }
        segment.retireMapping();
        if (cfg.flushPolicy() != LogConfig.FlushPolicy.PAGE_CACHE) {
            AtomicFiles.syncFile(segment.logFile());
        }
    }

    /**
     * Empties the log and restarts it at {@code offset}: the new start is saved first, then the old
     * segments are deleted and an empty one created. The epoch history is cleared, or with
     * {@code clearEpochs} false only cut at {@code offset}. Caller holds every lock.
     */
    private void restartAt(long offset, boolean clearEpochs) throws IOException {
        if (clearEpochs) {
            epochs.clear();
        } else {
            epochs.truncateFromEnd(offset);
        }
        SegmentList old = segments;
        durability.restartAt(offset);
        segments = old.withLogStartOffset(offset);
        durability.writeCheckpoints();
        for (int i = 0; i < old.size(); i++) {
            old.get(i).delete();
        }
        LogSegment fresh = LogSegment.create(dir, offset, config.indexIntervalBytes(), clock.wallMs());
        segments = new SegmentList(List.of(fresh), offset);
        logEndOffset = offset;
        durability.markDirectoryChanged();
    }

    // ------------------------------------------------------------------------------------ deletion

    @Override
    public long deleteRecordsBefore(long offset) {
        return mutate("deleteRecords", () -> {
            long target = Math.min(offset, logEndOffset);
            if (target <= logStartOffset()) {
                return logStartOffset();
            }
            if (segments.active().size() > 0 && segments.active().nextOffset() <= target) {
                roll();
            }
            List<LogSegment> list = segments.toList();
            int deletable = 0;
            while (deletable < list.size() - 1 && list.get(deletable).nextOffset() <= target) {
                deletable++;
            }
            deleteOldest(deletable, target);
            durability.run(durability::writeCheckpoints);
            return target;
        });
    }

    /**
     * Removes the {@code count} oldest segments and moves the log start to at least
     * {@code newLogStartOffset}. Caller holds the mutex.
     */
    private void deleteOldest(int count, long newLogStartOffset) throws IOException {
        List<LogSegment> list = segments.toList();
        List<LogSegment> removed = List.copyOf(list.subList(0, count));
        List<LogSegment> kept = list.subList(count, list.size());
        long start = Math.max(newLogStartOffset, Math.max(segments.logStartOffset(), kept.get(0).baseOffset()));
        segments = new SegmentList(kept, start);
        epochs.truncateFromStart(start, logEndOffset);
        for (LogSegment segment : removed) {
            segment.delete();
        }
        if (count > 0) {
            durability.markDirectoryChanged();
            durability.run(() -> durability.skipDeletedSegments(kept.get(0).baseOffset(), start));
        }
    }

    // ------------------------------------------------------------------------------------ maintenance

    @Override
    public int maintain(long nowMs, long highWatermark) {
        if (closed || failure != null) {
            return 0;
        }
        boolean[] flushActive = new boolean[1];
        Integer deleted = mutate("maintenance", () -> {
            LogConfig cfg = config;
            LogSegment active = segments.active();
            if (active.size() > 0 && nowMs - active.createdMs() >= cfg.segmentMs()) {
                roll();
            }
            int count = Retention.deletableSegments(segments, nowMs, highWatermark, cfg);
            if (count > 0) {
                deleteOldest(count, 0);
            }
            long now = clock.monotonicMs();
            SegmentList list = segments;
            for (int i = 0; i < list.size(); i++) {
                list.get(i).unmapIfIdle(now, idleUnmapMs);
            }
            flushActive[0] = cfg.flushPolicy() == LogConfig.FlushPolicy.INTERVAL
                    && nowMs - durability.lastFlushMs() >= cfg.flushIntervalMs();
            return count;
        });
        // Outside the mutation lock: appends go on while the maintenance thread waits for the disk.
        durably("flush", () -> {
            if (!closed) {
                durability.flushThrough(flushActive[0], nowMs);
            }
        });
        return deleted;
    }

    @Override
    public void flush() {
        ensureOpen();
        durably("flush", () -> {
            durability.flushThrough(true, clock.wallMs());
            durability.writeCheckpoints();
        });
    }

    /**
     * Saves the recovery point and the epoch history if they changed since they were last saved (the
     * log manager calls this periodically; flush and close do it too).
     */
    public void checkpoint() {
        durably("checkpoint", () -> {
            if (!closed) {
                durability.writeCheckpoints();
            }
        });
    }

    /**
     * Closes the log cleanly: writes the active segment's indexes, forces everything to disk, saves
     * the checkpoints so the next start needs no recovery, and releases every mapping (a reader still
     * copying keeps its mapping until it is done). Idempotent.
     */
    @Override
    public void close() {
        mutex.lock();
        try {
            if (closed) {
                return;
            }
            durability.run(() -> {
                try {
                    if (failure == null) {
                        segments.active().writeIndexes();
                        durability.flushThrough(true, clock.wallMs());
                        durability.writeCheckpoints();
                    }
                } finally {
                    closed = true;
                    releaseSegments();
                }
            });
        } catch (IOException e) {
            throw fail("close", e);
        } finally {
            mutex.unlock();
        }
    }

    /** Written atomically and durably; a log that is closed or failed keeps nothing. */
    @Override
    public void saveStopState(byte[] state) {
        mutex.lock();
        try {
            if (!closed && failure == null) {
                AtomicFiles.write(dir.resolve(STOP_STATE_FILE), state);
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot save the stop state (the next start rebuilds it): {}", dir, e.toString());
        } finally {
            mutex.unlock();
        }
    }

    /** Read, then deleted durably; what cannot be deleted is not returned. */
    @Override
    public Optional<byte[]> takeStopState() {
        Path file = dir.resolve(STOP_STATE_FILE);
        mutex.lock();
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            // After an unclean stop the file is older than that stop (one a start could not delete):
            // whatever its bounds say, it does not describe this log, so it is only deleted.
            Optional<byte[]> state = recoveredAtOpen ? Optional.empty() : Optional.of(Files.readAllBytes(file));
            Files.delete(file);
            AtomicFiles.syncDirectory(dir);
            if (state.isEmpty()) {
                LOG.warn("{}: ignored a stop state left from before an unclean stop", dir);
            }
            return state;
        } catch (IOException e) {
            LOG.warn("{}: cannot take the stop state (rebuilding it instead): {}", dir, e.toString());
            return Optional.empty();
        } finally {
            mutex.unlock();
        }
    }

    /**
     * For crash tests: stops the log as a killed process would, without writing indexes, forcing data
     * or saving checkpoints, but releasing its mappings (the writes stay in the page cache, as they do
     * when a process dies).
     */
    void simulateCrash() {
        mutex.lock();
        try {
            closed = true;
            SegmentList list = segments;
            for (int i = 0; i < list.size(); i++) {
                list.get(i).close();
            }
        } finally {
            mutex.unlock();
        }
    }

    private void releaseSegments() {
        SegmentList list = segments;
        for (int i = 0; i < list.size(); i++) {
            list.get(i).close();
        }
        try {
            AtomicFiles.truncate(list.active().logFile(), list.active().size());
        } catch (IOException e) {
            LOG.warn("{}: cannot cut the active segment back to its size: {}", dir, e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------ state

    /** The recovery point: every batch before this offset is known to be on stable storage. */
    public long recoveryPointOffset() {
        durability.lock();
        try {
            return durability.recoveryPoint().offset();
        } finally {
            durability.unlock();
        }
    }

    /** Segments in the log. */
    public int segmentCount() {
        return segments.size();
    }

    /** Segments currently memory-mapped (each also holds one open file). */
    public int mappedSegmentCount() {
        SegmentList list = segments;
        int mapped = 0;
        for (int i = 0; i < list.size(); i++) {
            mapped += list.get(i).isMapped() ? 1 : 0;
        }
        return mapped;
    }

    /** Bytes of batches in all segments. */
    public long sizeInBytes() {
        return segments.sizeInBytes();
    }

    /** Whether an I/O error stopped the log from taking writes. */
    public boolean isFailed() {
        return failure != null;
    }

    /** Runs a mutation under the mutation lock, refusing it on a closed or failed log. */
    private <T> T mutate(String operation, Mutation<T> mutation) {
        mutex.lock();
        try {
            ensureOpen();
            LogException failed = failure;
            if (failed != null) {
                throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, "the log in " + dir
                        + " stopped taking writes after an I/O error: " + failed.getMessage(), failed);
            }
            return mutation.apply();
        } catch (IOException e) {
            throw fail(operation, e);
        } finally {
            mutex.unlock();
        }
    }

    /** Runs {@code action} under the durability lock, failing the log on an I/O error. */
    private void durably(String operation, LogDurability.IoAction action) {
        try {
            durability.run(action);
        } catch (IOException e) {
            throw fail(operation, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, "the log in " + dir + " is closed");
        }
    }

    private LogException fail(String operation, IOException e) {
        LogException error = new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, operation + " failed in " + dir
                + ": " + e.getMessage(), e);
        if (failure == null) {
            failure = error;
            LOG.error("{}: {} failed; the log takes no more writes", dir, operation, e);
        }
        return error;
    }

    @Override
    public String toString() {
        return "ChronicleLog[" + dir + ", start=" + logStartOffset() + ", end=" + logEndOffset + "]";
    }
}
