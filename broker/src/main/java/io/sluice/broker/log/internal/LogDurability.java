package io.sluice.broker.log.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What of a log is on stable storage, and the files that say so: forces segments to disk, moves the
 * recovery point past what was forced, and writes the two checkpoint files, always the epoch history
 * before the recovery point (so a recovery point on disk never covers a batch whose epoch the saved
 * history lacks).
 *
 * <p>Invariants: the recovery point only covers bytes that were forced with their file sizes; it only
 * moves back through {@link #lowerTo}, which saves it before the caller rewrites what it covered.
 * A new or renamed directory entry is made durable by the next flush.
 *
 * <p>Threading: its own lock serializes flushes and checkpoint writes; every method except the
 * {@code mark*} ones requires it ({@link #run}, or {@link #lock()}/{@link #unlock()} around several
 * calls). The log's mutation lock, if held, must be taken first.
 */
public final class LogDurability {
    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    private final Path dir;
    private final EpochHistory epochs;
    private final Supplier<SegmentList> segments;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean dirNeedsSync = new AtomicBoolean();
    private final AtomicBoolean parentNeedsSync = new AtomicBoolean();
    private RecoveryPoint recoveryPoint;
    private RecoveryPoint savedRecoveryPoint;
    private volatile long lastFlushMs;

    /**
     * @param saved whether {@code recoveryPoint} is what the checkpoint file holds
     */
    public LogDurability(Path dir, EpochHistory epochs, Supplier<SegmentList> segments, RecoveryPoint recoveryPoint,
            boolean saved, long nowMs) {
        this.dir = dir;
        this.epochs = epochs;
        this.segments = segments;
        this.recoveryPoint = recoveryPoint;
        this.savedRecoveryPoint = saved ? recoveryPoint : null;
        this.lastFlushMs = nowMs;
    }

    /** Runs {@code action} holding the flush lock. */
    public void run(IoAction action) throws IOException {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    public void lock() {
        lock.lock();
    }

    public void unlock() {
        lock.unlock();
    }

    /** Notes that an entry of the log directory was created, renamed or deleted. Any thread. */
    public void markDirectoryChanged() {
        dirNeedsSync.set(true);
    }

    /** Notes that the log directory itself was created in its parent. Any thread. */
    public void markParentChanged() {
        parentNeedsSync.set(true);
    }

    /** When the active segment was last forced (wall-clock ms). Any thread. */
    public long lastFlushMs() {
        return lastFlushMs;
    }

    /** The recovery point (the flush lock must be held). */
    public RecoveryPoint recoveryPoint() {
        return recoveryPoint;
    }

    /**
     * Forces the sealed segments after the recovery point to disk and, with {@code includeActive}, the
     * active one too; then moves the recovery point past what was forced.
     */
    public void flushThrough(boolean includeActive, long nowMs) throws IOException {
        SegmentList list = segments.get();
        LogSegment active = list.active();
        int activeSize = active.size();
        RecoveryPoint target = includeActive
                ? new RecoveryPoint(active.nextOffset(), active.baseOffset(), activeSize, list.logStartOffset())
                : RecoveryPoint.startOf(active.baseOffset(), list.logStartOffset());
        boolean advances = target.isAfter(recoveryPoint);
        if (advances) {
            for (int i = 0; i < list.size() - 1; i++) {
                LogSegment segment = list.get(i);
                if (segment.baseOffset() >= recoveryPoint.segmentBaseOffset()) {
                    segment.force(segment.size());
                }
            }
            if (includeActive && activeSize > 0) {
                active.force(activeSize);
            }
        }
        if (advances || includeActive) {
            // Only now do new directory entries matter: the recovery point is about to cover them.
            syncIfNeeded(dir, dirNeedsSync);
            syncIfNeeded(dir.getParent(), parentNeedsSync);
        }
        if (advances) {
            recoveryPoint = target;
        }
        if (includeActive) {
            lastFlushMs = nowMs;
        }
    }

    private static void syncIfNeeded(Path directory, AtomicBoolean pending) throws IOException {
        if (pending.getAndSet(false)) {
            try {
                AtomicFiles.syncDirectory(directory);
            } catch (IOException e) {
                pending.set(true);
                throw e;
            }
        }
    }

    /**
     * Moves the recovery point back to {@code point} if it lies after it, and saves it at once: the
     * caller is about to rewrite bytes the old point covered.
     */
    public void lowerTo(RecoveryPoint point) throws IOException {
        if (recoveryPoint.isAfter(point)) {
            recoveryPoint = point;
            writeCheckpoints();
        }
    }

    /** Restarts the recovery point at an empty segment {@code baseOffset} (the log was emptied). */
    public void restartAt(long baseOffset) {
        recoveryPoint = RecoveryPoint.startOf(baseOffset, baseOffset);
    }

    /** After the segments before {@code firstBaseOffset} were deleted, keeps the recovery point in the log. */
    public void skipDeletedSegments(long firstBaseOffset, long logStartOffset) {
        if (recoveryPoint.segmentBaseOffset() < firstBaseOffset) {
            recoveryPoint = RecoveryPoint.startOf(firstBaseOffset, logStartOffset);
        }
    }

    /** Writes the epoch history (first) and the recovery point, each only if it changed. */
    public void writeCheckpoints() throws IOException {
        if (epochs.isDirty()) {
            List<EpochHistory.Entry> entries = epochs.entriesToSave();
            try {
                CheckpointFiles.writeEpochs(dir, entries);
            } catch (IOException e) {
                epochs.markDirty();
                throw e;
            }
        }
        RecoveryPoint point = recoveryPoint.withLogStartOffset(segments.get().logStartOffset());
        if (!point.equals(savedRecoveryPoint)) {
            CheckpointFiles.writeRecoveryPoint(dir, point);
            savedRecoveryPoint = point;
        }
    }
}
