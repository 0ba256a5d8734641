package io.sluice.broker.log.internal;

import io.sluice.broker.log.DiskSpaceGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One segment of a partition log: the file {@code <base>.log} holding whole batches back to back, and
 * its rebuildable {@code <base>.index} and {@code <base>.timeindex} ({@link SparseIndex}).
 *
 * <p>State visible to readers ({@link #size()}, {@link #nextOffset()}, {@link #maxTimestamp()}) is
 * published by the log's single writer only after the bytes it covers are fully written, so a reader
 * bounded by {@link #size()} sees whole batches only.
 *
 * <p>Mappings: a segment is mapped on demand ({@link #acquireForRead}, {@link #acquireForWrite}) and
 * reference-counted; each {@code acquire} must be paired with {@link #release}. The writer grows the
 * active segment's mapping by replacing it with a larger one; an idle segment is unmapped by
 * {@link #unmapIfIdle}; a deleted segment has its files renamed at once and unlinked when the last
 * reader releases its mapping, so deleting never pulls memory from under a reader. Mapping state is
 * guarded by the segment's monitor.
 *
 * <p>Thread-safety: the {@code acquire}/{@code release}/index methods are thread-safe; the mutators
 * ({@link #onAppended}, {@link #truncate}, {@link #seal}, ...) belong to the log's single writer.
 */
public final class LogSegment {
    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String DELETED_SUFFIX = ".deleted";

    /** The first mapping of an active segment, before it doubles on demand up to the segment size. */
    static final long INITIAL_MAPPING_BYTES = 1 << 20;
    private static final long PAGE_BYTES = 4096;
    /** How far ahead of the log end the writer keeps the file written with zeros, at most. */
    static final long PREPARE_LEAD_BYTES = 2 << 20;
    private static final AtomicLong DELETIONS = new AtomicLong();

    private final Path dir;
    private final long baseOffset;
    private final Path logFile;
    private final long createdMs;

    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp;
    private volatile boolean sealed;
    private volatile SparseIndex offsetIndex;
    private volatile SparseIndex timeIndex;
    private volatile long lastUsedMs;
    /** Writer only; null for a sealed segment whose indexes were read back from disk. */
    private IndexBuilder builder;

    private SegmentMapping current;
    /** Writer only: the file is written with zeros (or data) from the log end up to here; -1 until known. */
    private long preparedUpTo = -1;
    private int openMappings;
    private boolean deleted;
    private boolean closed;
    private final List<Path> renamedFiles = new ArrayList<>();

    private LogSegment(Path dir, long baseOffset, long createdMs) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        this.createdMs = createdMs;
        this.nextOffset = baseOffset;
        this.maxTimestamp = -1;
    }

    /** Creates the empty file of a new active segment. */
    public static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, long nowMs) throws IOException {
        LogSegment segment = new LogSegment(dir, baseOffset, nowMs);
        Files.createFile(segment.logFile);
        segment.builder = new IndexBuilder(baseOffset, indexIntervalBytes);
        segment.publishIndexes();
        return segment;
    }

    /** A segment found on disk whose indexes are read lazily from its index files. */
    public static LogSegment sealedOnDisk(Path dir, long baseOffset, int size, long nextOffset, long maxTimestamp) {
        LogSegment segment = new LogSegment(dir, baseOffset, 0);
        segment.size = size;
        segment.nextOffset = nextOffset;
        segment.maxTimestamp = maxTimestamp;
        segment.sealed = true;
        return segment;
    }

    /** A segment found on disk with indexes in hand (loaded or rebuilt), ready to take appends. */
    public static LogSegment activeOnDisk(Path dir, long baseOffset, int size, long nextOffset, IndexBuilder builder,
            long nowMs) {
        LogSegment segment = new LogSegment(dir, baseOffset, nowMs);
        segment.size = size;
        segment.nextOffset = nextOffset;
        segment.maxTimestamp = builder.maxTimestamp();
        segment.builder = builder;
        segment.publishIndexes();
        return segment;
    }

    /** The file next to the segment file {@code logFile} with another suffix (its index files). */
    public static Path sibling(Path logFile, String suffix) {
        String name = logFile.getFileName().toString();
        return logFile.resolveSibling(name.substring(0, name.length() - LOG_SUFFIX.length()) + suffix);
    }

    /** The offset index file of the segment file {@code logFile}. */
    public static Path indexFileOf(Path logFile) {
        return sibling(logFile, INDEX_SUFFIX);
    }

    /** The time index file of the segment file {@code logFile}. */
    public static Path timeIndexFileOf(Path logFile) {
        return sibling(logFile, TIME_INDEX_SUFFIX);
    }

    /** {@code <20-digit base offset><suffix>}. */
    public static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Bytes of whole batches readers may see. */
    public int size() {
        return size;
    }

    /** The offset after the segment's last batch (its base offset when empty). */
    public long nextOffset() {
        return nextOffset;
    }

    /** The largest batch timestamp in the segment, -1 if none. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    public boolean isSealed() {
        return sealed;
    }

    /** When this process created or opened the segment for appends (the base of roll by age). */
    public long createdMs() {
        return createdMs;
    }

    public Path logFile() {
        return logFile;
    }

    Path indexFile() {
        return dir.resolve(fileName(baseOffset, INDEX_SUFFIX));
    }

    Path timeIndexFile() {
        return dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX));
    }

    // ---------------------------------------------------------------- writer

    /** Records a batch the writer placed at {@code position}; call before {@link #publish}. */
    public void onAppended(int position, long batchBaseOffset, long lastOffset, long batchMaxTimestamp, int batchSize) {
        builder.visit(position, batchBaseOffset, lastOffset, 0, batchMaxTimestamp, batchSize);
    }

    /** Makes the batches up to {@code newSize} / {@code newNextOffset} visible to readers. */
    public void publish(int newSize, long newNextOffset) {
        maxTimestamp = builder.maxTimestamp();
        nextOffset = newNextOffset;
        size = newSize;
    }

    /**
     * Cuts the segment at {@code position}, where the batch with base offset {@code offset} started
     * (or the end). Bytes after it are zeroed through {@code mapping} so that recovery cannot find them
     * again; the caller holds the log's truncation lock, so no reader is copying them. The segment
     * becomes the active one.
     */
    public void truncate(SegmentMapping mapping, int position, long offset, long newMaxTimestamp,
            long lastBatchBaseOffset, int indexIntervalBytes) throws IOException {
        if (builder == null) {
            builder = new IndexBuilder(baseOffset, indexIntervalBytes, offsetIndexForRead(indexIntervalBytes),
                    timeIndexForRead(indexIntervalBytes), maxTimestamp);
            publishIndexes();
        }
        if (size > position) {
            mapping.zero(position, size);
        }
        builder.truncate(position, offset, newMaxTimestamp, lastBatchBaseOffset);
        sealed = false;
        maxTimestamp = newMaxTimestamp;
        nextOffset = offset;
        size = position;
        Files.deleteIfExists(indexFile());
        Files.deleteIfExists(timeIndexFile());
    }

    /** Adds the last time entry and writes both index files (not forced: they can be rebuilt). */
    public void writeIndexes() throws IOException {
        builder.finish();
        AtomicFiles.writeUnsynced(indexFile(), builder.offsets().toBytes());
        AtomicFiles.writeUnsynced(timeIndexFile(), builder.times().toBytes());
    }

    /**
     * Seals the segment when the log rolls: writes its indexes and cuts the file to its size (the
     * mapping had grown it). Readers never look past {@link #size()}, so the cut is safe under them.
     */
    public void seal() throws IOException {
        writeIndexes();
        sealed = true;
        builder = null;
        AtomicFiles.truncate(logFile, size);
        preparedUpTo = -1;
    }

    // ---------------------------------------------------------------- mappings

    /** A mapping covering {@code [0, end)} for reading; null if the segment was deleted or closed. */
    public synchronized SegmentMapping acquireForRead(int end, long nowMs) throws IOException {
        if (deleted || closed) {
            return null;
        }
        lastUsedMs = nowMs;
        if (current == null || current.capacity() < end) {
            install(SegmentMapping.open(logFile, Math.max(end, size), false));
        }
        current.references++;
        return current;
    }

    /**
     * A writable mapping covering {@code [0, end)}, grown (doubling, up to about the segment size) when
     * the current one is too small. Free disk space is checked before every new mapping, and the file
     * is written with zeros ahead of {@code end} ({@link #prepareAhead}), unless {@code guard} is null
     * (truncation, which writes no new data).
     */
    public synchronized SegmentMapping acquireForWrite(int end, int segmentBytes, DiskSpaceGuard guard, long nowMs)
            throws IOException {
        if (deleted || closed) {
            throw new IOException("segment " + logFile + " is " + (deleted ? "deleted" : "closed"));
        }
        lastUsedMs = nowMs;
        if (current == null || !current.writable() || current.capacity() < end) {
            long previous = current == null ? 0 : current.capacity();
            long capacity = Math.max(INITIAL_MAPPING_BYTES, previous * 2);
            capacity = Math.max(Math.min(capacity, Math.max(segmentBytes, end)), end);
            capacity = roundUpToPage(capacity);
            if (guard != null) {
                guard.checkBeforeMapping(Math.max(0, capacity - Files.size(logFile)));
            }
            install(SegmentMapping.open(logFile, capacity, true));
        }
        if (guard != null) {
            prepareAhead(end);
        }
        current.references++;
        return current;
    }

    /**
     * Keeps the file written with zeros, through {@code pwrite}, from the log end up to
     * {@link #PREPARE_LEAD_BYTES} ahead of {@code end} (less for a small segment: no further ahead than
     * the segment is long, so an idle partition holds a page, not megabytes), within the mapping.
     *
     * <p>Why: the region ahead of the writer is a hole of the sparse file. The first write through the
     * mapping into a hole takes a page fault whose read-around zero-fills up to the device's read-ahead
     * window (8 MiB on the project's VM) in one go, on the appending thread, and on a VM whose fresh
     * memory is slow to touch that stalled a broker's appends for tens to hundreds of milliseconds.
     * Zeros written a megabyte at a time land in the page cache as {@code dd}'s writes do, in large
     * folios and without the fault's read, so the mapping's writes then find their pages present.
     * docs/storage.md, "Writing ahead of the log end", has the measurements.
     *
     * <p>Only ever at or after the log end: every byte below {@code preparedUpTo} that is data was
     * written after its preparation, and readers never read past the log end. A full disk shows here as
     * an {@code IOException}, before the mapped write that would otherwise take it as a {@code SIGBUS}.
     */
    private void prepareAhead(long end) throws IOException {
        if (preparedUpTo < 0) {
            preparedUpTo = roundUpToPage(size);
        }
        long lead = Math.min(PREPARE_LEAD_BYTES, Math.max(PAGE_BYTES, end));
        if (preparedUpTo - end >= lead / 2) {
            return;
        }
        long target = Math.min(current.capacity(), end + lead);
        long chunk = SegmentMapping.ZEROS_BYTES;
        while (preparedUpTo < target) {
            long to = Math.min(target, (preparedUpTo / chunk + 1) * chunk);
            current.writeZeros(preparedUpTo, (int) (to - preparedUpTo));
            preparedUpTo = to;
        }
    }

    private static long roundUpToPage(long bytes) {
        return (bytes + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES;
    }

    /** Where the zeros written ahead of the log end stop (tests). */
    synchronized long preparedUpTo() {
        return preparedUpTo;
    }

    /** Returns a mapping obtained from an {@code acquire} method. */
    public synchronized void release(SegmentMapping mapping) {
        mapping.references--;
        if (mapping.references == 0 && mapping.retired) {
            closeMapping(mapping);
        }
    }

    /** Drops the current mapping so that the next acquire maps afresh (after the file was cut). */
    public synchronized void retireMapping() {
        if (current != null) {
            retire(current);
            current = null;
        }
    }

    /**
     * Unmaps the segment if no reader holds it and it was not used for {@code idleMs}; a sealed
     * segment also drops its indexes from memory. An idle active segment has its file cut back to
     * its size (the mapping had grown it). Writer only.
     *
     * @return whether a mapping was released
     */
    public synchronized boolean unmapIfIdle(long nowMs, long idleMs) throws IOException {
        if (nowMs - lastUsedMs < idleMs) {
            return false;
        }
        if (sealed && builder == null) {
            offsetIndex = null;
            timeIndex = null;
        }
        if (current == null || current.references > 0) {
            return false;
        }
        retire(current);
        current = null;
        if (!sealed && openMappings == 0) {
            AtomicFiles.truncate(logFile, size);
        }
        return true;
    }

    /**
     * Forces the segment's first {@code end} bytes to disk: msync through the writable mapping of an
     * active segment, else fdatasync of the file (which also makes a sealed segment's size durable) and
     * of its index files. A segment deleted meanwhile is skipped.
     */
    public void force(int end) throws IOException {
        SegmentMapping mapping;
        synchronized (this) {
            if (deleted || closed) {
                return;
            }
            mapping = !sealed && current != null && current.writable() ? current : null;
            if (mapping != null) {
                mapping.references++;
            }
        }
        try {
            if (mapping != null) {
                mapping.sync(end);
            } else {
                AtomicFiles.syncFile(logFile);
            }
            if (sealed) {
                for (Path index : List.of(indexFile(), timeIndexFile())) {
                    if (Files.exists(index)) {
                        AtomicFiles.syncFile(index);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            if (!isDeleted()) {
                throw e;
            }
        } finally {
            if (mapping != null) {
                release(mapping);
            }
        }
    }

    /** Whether the segment currently holds a mapping (for resource accounting). */
    public synchronized boolean isMapped() {
        return current != null;
    }

    private void install(SegmentMapping fresh) {
        SegmentMapping old = current;
        current = fresh;
        openMappings++;
        if (old != null) {
            retire(old);
        }
    }

    private void retire(SegmentMapping mapping) {
        mapping.retired = true;
        if (mapping.references == 0) {
            closeMapping(mapping);
        }
    }

    private void closeMapping(SegmentMapping mapping) {
        mapping.close();
        openMappings--;
        if (deleted && openMappings == 0) {
            deleteRenamedFiles();
        }
    }

    /**
     * Deletes the segment: its files are renamed at once (so a new segment may take the same name)
     * and unlinked as soon as no reader holds a mapping of it. Writer only.
     */
    public synchronized void delete() throws IOException {
        if (deleted) {
            return;
        }
        long id = DELETIONS.incrementAndGet();
        for (Path file : List.of(logFile, indexFile(), timeIndexFile())) {
            Path renamed = file.resolveSibling(file.getFileName() + "." + id + DELETED_SUFFIX);
            try {
                Files.move(file, renamed, StandardCopyOption.ATOMIC_MOVE);
                renamedFiles.add(renamed);
            } catch (NoSuchFileException e) {
                // index files are optional
            }
        }
        deleted = true;
        offsetIndex = null;
        timeIndex = null;
        if (current != null) {
            retire(current);
            current = null;
        }
        if (openMappings == 0) {
            deleteRenamedFiles();
        }
    }

    private void deleteRenamedFiles() {
        for (Path file : renamedFiles) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover *.deleted file is removed when the log is next opened
            }
        }
        renamedFiles.clear();
    }

    public synchronized boolean isDeleted() {
        return deleted;
    }

    /** Releases the segment's mapping (now, or when the last reader releases it); files stay. */
    public synchronized void close() {
        closed = true;
        retireMapping();
    }

    // ---------------------------------------------------------------- indexes

    /** The offset index, read from disk (or rebuilt from the log) if it is not in memory. */
    public SparseIndex offsetIndexForRead(int indexIntervalBytes) throws IOException {
        SparseIndex index = offsetIndex;
        return index != null ? index : loadIndexes(indexIntervalBytes)[0];
    }

    /** The time index, read from disk (or rebuilt from the log) if it is not in memory. */
    public SparseIndex timeIndexForRead(int indexIntervalBytes) throws IOException {
        SparseIndex index = timeIndex;
        return index != null ? index : loadIndexes(indexIntervalBytes)[1];
    }

    private synchronized SparseIndex[] loadIndexes(int indexIntervalBytes) throws IOException {
        if (deleted) {
            // Never rebuild (and so re-create) the index files of a segment whose files were renamed away.
            throw new NoSuchFileException(logFile.toString(), null, "the segment was deleted");
        }
        if (offsetIndex == null || timeIndex == null) {
            SparseIndex[] read = IndexFiles.readOrRebuild(this, indexIntervalBytes);
            offsetIndex = read[0];
            timeIndex = read[1];
        }
        return new SparseIndex[] {offsetIndex, timeIndex};
    }

    private void publishIndexes() {
        offsetIndex = builder.offsets();
        timeIndex = builder.times();
    }

    @Override
    public String toString() {
        return "LogSegment[" + logFile.getFileName() + ", size=" + size + ", next=" + nextOffset
                + (sealed ? ", sealed" : "") + "]";
    }
}
