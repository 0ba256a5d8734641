package io.sluice.broker.log.internal;

import io.sluice.broker.log.EpochEndOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The leader-epoch history of one log (Kafka's KIP-101/279): for each epoch, the offset of its first
 * batch. Epochs and start offsets both grow along the history. Remembers whether it changed since it
 * was last saved ({@link #isDirty()}), so a caller can write it only when needed.
 *
 * <p>Thread-safe: every method synchronizes on the history.
 */
public final class EpochHistory {
    /** One entry: {@code epoch} starts at {@code startOffset}. */
    public record Entry(int epoch, long startOffset) {
    }

    private final NavigableMap<Integer, Long> starts = new TreeMap<>();
    private boolean dirty;

    /** An empty history. */
    public EpochHistory() {
    }

    /** A history holding {@code entries}, which must grow in epoch and start offset. */
    public EpochHistory(List<Entry> entries) {
        for (Entry entry : entries) {
            assign(entry.epoch(), entry.startOffset());
        }
        dirty = false;
    }

    /** The newest epoch, or -1 when the history is empty. */
    public synchronized int latestEpoch() {
        return starts.isEmpty() ? -1 : starts.lastKey();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} if it is newer than the latest epoch;
     * entries starting at or after {@code startOffset} are dropped first (they can only be left over
     * from a log that was cut and rewritten). An epoch not newer than the latest is ignored.
     */
    public synchronized void assign(int epoch, long startOffset) {
        if (!starts.isEmpty() && epoch <= starts.lastKey()) {
            return;
        }
        starts.values().removeIf(start -> start >= startOffset);
        starts.put(epoch, startOffset);
        dirty = true;
    }

    /** Drops the entries that start at or after {@code endOffset} (the log was cut there). */
    public synchronized void truncateFromEnd(long endOffset) {
        if (starts.values().removeIf(start -> start >= endOffset)) {
            dirty = true;
        }
    }

    /**
     * Keeps only what describes offsets from {@code logStartOffset} up to {@code logEndOffset} (the
     * log's start moved): the entries starting at or before the new start are dropped, and the
     * newest of them, the epoch in effect at the start, is put back starting there if the log still
     * holds an offset there (Kafka's {@code truncateFromStart}). So every entry starts inside the
     * log, and what a reloaded log rebuilds from its segments and a checkpoint saved at any time
     * before agrees with this history.
     */
    public synchronized void truncateFromStart(long logStartOffset, long logEndOffset) {
        Map.Entry<Integer, Long> atStart = null;
        boolean changed = false;
        while (!starts.isEmpty() && starts.firstEntry().getValue() <= logStartOffset) {
            changed |= atStart != null;
            atStart = starts.pollFirstEntry();
        }
        if (atStart != null) {
            boolean keep = logStartOffset < logEndOffset;
            if (keep) {
                starts.put(atStart.getKey(), logStartOffset);
            }
            changed |= !keep || atStart.getValue() != logStartOffset;
        }
        dirty |= changed;
    }

    /** Forgets every entry. */
    public synchronized void clear() {
        if (!starts.isEmpty()) {
            starts.clear();
            dirty = true;
        }
    }

    /**
     * The largest epoch {@code <= epoch} and where it ends: the start of the next epoch, or
     * {@code logEndOffset} for the latest. Empty when no epoch is that old.
     */
    public synchronized Optional<EpochEndOffset> endOffsetFor(int epoch, long logEndOffset) {
        Map.Entry<Integer, Long> floor = starts.floorEntry(epoch);
        if (floor == null) {
            return Optional.empty();
        }
        Map.Entry<Integer, Long> next = starts.higherEntry(floor.getKey());
        return Optional.of(new EpochEndOffset(floor.getKey(), next == null ? logEndOffset : next.getValue()));
    }

    /** The entries, oldest first. */
    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(starts.size());
        starts.forEach((epoch, start) -> out.add(new Entry(epoch, start)));
        return out;
    }

    /** The entries to save, and the history marked clean; call {@link #markDirty()} if saving fails. */
    public synchronized List<Entry> entriesToSave() {
        dirty = false;
        return entries();
    }

    /** Whether the history changed since {@link #markClean()}. */
    public synchronized boolean isDirty() {
        return dirty;
    }

    /** Notes that the current entries are saved. */
    public synchronized void markClean() {
        dirty = false;
    }

    /** Notes that the saved entries may differ from these (they must be written again). */
    public synchronized void markDirty() {
        dirty = true;
    }
}
