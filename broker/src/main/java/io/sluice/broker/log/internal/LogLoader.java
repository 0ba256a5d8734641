package io.sluice.broker.log.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory and brings it to a consistent state: the recovery of Kafka's
 * {@code LogLoader}, for our formats.
 *
 * <ol>
 *   <li>Leftovers of interrupted operations ({@code *.deleted}, {@code *.tmp}, index files without
 *       their log) are removed.</li>
 *   <li>The recovery point says which prefix of the log reached stable storage. Segments before it
 *       are trusted as they are (their size is the file's size); from the recovery point on, every
 *       batch is read and its header and CRC checked ({@link SegmentScanner}).</li>
 *   <li>At the first position that is not a valid batch (a partial batch, a bad CRC, an offset gap,
 *       an epoch going back) the log is cut: the file is truncated there and every later segment
 *       deleted. Zeroed space left by a mapping is dropped the same way, silently.</li>
 *   <li>The indexes of every checked segment are rebuilt; the epoch history is cut at the recovered
 *       end and completed from the checked batches (rebuilt from every batch if its file is lost).</li>
 *   <li>If anything was checked, the recovered segments are forced to disk and the recovery point
 *       moves to the end, so the next start trusts them.</li>
 * </ol>
 * Not thread-safe: runs once, before the log is visible to anyone.
 */
public final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /**
     * A loaded log.
     *
     * @param segments       the segments, oldest first, the last one active
     * @param logStartOffset the log start offset
     * @param epochs         the epoch history
     * @param recoveryPoint  the recovery point
     * @param recovered      whether recovery checked or changed a batch (the checkpoints must be saved)
     * @param created        whether a segment file was created (its directory entry is not durable yet)
     */
    public record Loaded(List<LogSegment> segments, long logStartOffset, EpochHistory epochs,
            RecoveryPoint recoveryPoint, boolean recovered, boolean created) {
        public long logEndOffset() {
            return segments.get(segments.size() - 1).nextOffset();
        }
    }

    private final Path dir;
    private final int indexIntervalBytes;
    private final long nowMs;
    private final SegmentScanner scanner = new SegmentScanner();
    private final List<EpochHistory.Entry> scannedEpochs = new ArrayList<>();
    private long bytesChecked;

    private LogLoader(Path dir, int indexIntervalBytes, long nowMs) {
        this.dir = dir;
        this.indexIntervalBytes = indexIntervalBytes;
        this.nowMs = nowMs;
    }

    /** Opens (creating if needed) and recovers the log in {@code dir}. */
    public static Loaded load(Path dir, int indexIntervalBytes, long nowMs) throws IOException {
        return new LogLoader(dir, indexIntervalBytes, nowMs).load();
    }

    private Loaded load() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            return fresh(0, new EpochHistory());
        }
        TreeMap<Long, Path> files = listSegmentsRemovingLeftovers();
        Optional<RecoveryPoint> saved = CheckpointFiles.readRecoveryPoint(dir);
        long savedStart = saved.map(RecoveryPoint::logStartOffset).orElse(0L);
        if (files.isEmpty()) {
            long start = Math.max(savedStart, saved.map(RecoveryPoint::offset).orElse(0L));
            return fresh(start, loadEpochs(List.of(), start, start, start));
        }
        List<Long> bases = new ArrayList<>(files.keySet());
        int trusted = 0;
        int position = 0;
        long offset = bases.get(0);
        if (saved.isPresent() && files.containsKey(saved.get().segmentBaseOffset())
                && Files.size(files.get(saved.get().segmentBaseOffset())) >= saved.get().position()) {
            trusted = bases.indexOf(saved.get().segmentBaseOffset());
            position = saved.get().position();
            offset = saved.get().offset();
        } else if (saved.isPresent()) {
            LOG.warn("{}: the recovery point {} does not match the segments; checking the whole log", dir,
                    saved.get());
        }
        List<LogSegment> segments = new ArrayList<>();
        for (int i = 0; i < trusted; i++) {
            segments.add(trustedSegment(files.get(bases.get(i)), bases.get(i), bases.get(i + 1)));
        }
        recoverFrom(files, bases, trusted, position, offset, segments);
        long logEnd = segments.get(segments.size() - 1).nextOffset();
        long logStart = Math.max(savedStart, segments.get(0).baseOffset());
        if (logStart > logEnd) {
            LOG.warn("{}: the log start {} is past the recovered end {}; starting empty there", dir, logStart, logEnd);
            for (LogSegment segment : segments) {
                segment.delete();
            }
            return fresh(logStart, loadEpochs(List.of(), logStart, logStart, logStart));
        }
        EpochHistory epochs = loadEpochs(segments, offset, logStart, logEnd);
        RecoveryPoint point = saved.orElse(RecoveryPoint.startOf(bases.get(0), logStart)).withLogStartOffset(logStart);
        if (bytesChecked > 0) {
            point = makeDurable(segments, trusted, logStart);
        }
        return new Loaded(segments, logStart, epochs, point, bytesChecked > 0, false);
    }

    private Loaded fresh(long start, EpochHistory epochs) throws IOException {
        // Nothing to protect yet: the new file's directory entry is made durable by the first flush.
        LogSegment segment = LogSegment.create(dir, start, indexIntervalBytes, nowMs);
        return new Loaded(new ArrayList<>(List.of(segment)), start, epochs, RecoveryPoint.startOf(start, start), false,
                true);
    }

    private TreeMap<Long, Path> listSegmentsRemovingLeftovers() throws IOException {
        TreeMap<Long, Path> logs = new TreeMap<>();
        List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    Files.deleteIfExists(entry);
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    parseBase(name, LogSegment.LOG_SUFFIX).ifPresent(base -> logs.put(base, entry));
                } else if (name.endsWith(LogSegment.INDEX_SUFFIX) || name.endsWith(LogSegment.TIME_INDEX_SUFFIX)) {
                    indexes.add(entry);
                }
            }
        }
        for (Path index : indexes) {
            String name = index.getFileName().toString();
            String suffix = name.endsWith(LogSegment.INDEX_SUFFIX) ? LogSegment.INDEX_SUFFIX
                    : LogSegment.TIME_INDEX_SUFFIX;
            OptionalLong base = parseBase(name, suffix);
            if (base.isEmpty() || !logs.containsKey(base.getAsLong())) {
                Files.deleteIfExists(index);
            }
        }
        return logs;
    }

    private static OptionalLong parseBase(String name, String suffix) {
        String digits = name.substring(0, name.length() - suffix.length());
        if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    /** A segment before the recovery point: its size is its file's, its newest timestamp its time index's. */
    private LogSegment trustedSegment(Path file, long base, long nextBase) throws IOException {
        int size = Math.toIntExact(Files.size(file));
        OptionalLong maxTimestamp = IndexFiles.lastTimestamp(file);
        LogSegment segment = LogSegment.sealedOnDisk(dir, base, size, nextBase, maxTimestamp.orElse(-1));
        if (maxTimestamp.isPresent()) {
            return segment;
        }
        SparseIndex times = IndexFiles.rebuild(segment, indexIntervalBytes)[1];
        return LogSegment.sealedOnDisk(dir, base, size, nextBase, times.count() == 0 ? -1 : times.lastKey());
    }

    /**
     * Checks the segments from {@code bases[first]} at {@code position} (where offset {@code offset}
     * starts) to the end, cutting the log at the first invalid batch, and adds them to {@code segments}.
     */
    private void recoverFrom(TreeMap<Long, Path> files, List<Long> bases, int first, int position, long offset,
            List<LogSegment> segments) throws IOException {
        long expected = bases.get(first);
        int minEpoch = Integer.MIN_VALUE;
        for (int i = first; i < bases.size(); i++) {
            long base = bases.get(i);
            Path file = files.get(base);
            if (base != expected) {
                LOG.warn("{}: segment {} starts at offset {} but the log before it ends at {}; cutting the log there",
                        dir, file.getFileName(), base, expected);
                deleteFiles(files, bases, i);
                promoteLastToActive(segments);
                return;
            }
            int verifyFrom = i == first ? position : 0;
            SparseIndex[] saved = i == first && position > 0
                    ? IndexFiles.readValid(file, base, position, offset) : null;
            IndexBuilder builder = saved == null ? new IndexBuilder(base, indexIntervalBytes)
                    : new IndexBuilder(base, indexIntervalBytes, saved[0], saved[1],
                            saved[1].count() == 0 ? -1 : saved[1].lastKey());
            SegmentScanner.Visitor visitor = (at, batchBase, lastOffset, epoch, maxTimestamp, size) -> {
                builder.visit(at, batchBase, lastOffset, epoch, maxTimestamp, size);
                noteEpoch(epoch, batchBase);
                bytesChecked += at >= verifyFrom ? size : 0;
            };
            SegmentScanner.Result result = saved == null
                    ? scanner.scan(file, 0, base, verifyFrom, minEpoch, visitor)
                    : scanner.scan(file, position, offset, verifyFrom, minEpoch, visitor);
            long length = Files.size(file);
            if (result.problem() != null) {
                LOG.warn("{}: {} is valid up to byte {} of {}: {}; cutting the log there", dir, file.getFileName(),
                        result.validEnd(), length, result.problem());
            }
            if (result.validEnd() < length) {
                AtomicFiles.truncate(file, result.validEnd());
                bytesChecked++;
            }
            builder.finish();
            boolean last = i == bases.size() - 1 || result.problem() != null;
            if (last) {
                deleteFiles(files, bases, i + 1);
                segments.add(LogSegment.activeOnDisk(dir, base, result.validEnd(), result.nextOffset(), builder,
                        nowMs));
                return;
            }
            AtomicFiles.writeUnsynced(LogSegment.indexFileOf(file), builder.offsets().toBytes());
            AtomicFiles.writeUnsynced(LogSegment.timeIndexFileOf(file), builder.times().toBytes());
            segments.add(LogSegment.sealedOnDisk(dir, base, result.validEnd(), result.nextOffset(),
                    builder.maxTimestamp()));
            expected = result.nextOffset();
            minEpoch = result.lastEpoch();
        }
    }

    private void noteEpoch(int epoch, long baseOffset) {
        if (scannedEpochs.isEmpty() || scannedEpochs.get(scannedEpochs.size() - 1).epoch() != epoch) {
            scannedEpochs.add(new EpochHistory.Entry(epoch, baseOffset));
        }
    }

    /** After a cut that left no segment of the checked ones, the last trusted segment takes appends again. */
    private void promoteLastToActive(List<LogSegment> segments) throws IOException {
        LogSegment last = segments.remove(segments.size() - 1);
        IndexBuilder builder = new IndexBuilder(last.baseOffset(), indexIntervalBytes);
        SegmentScanner.Result result = scanner.scan(last.logFile(), last.baseOffset(), Long.MAX_VALUE,
                Integer.MIN_VALUE, builder);
        segments.add(LogSegment.activeOnDisk(dir, last.baseOffset(), result.validEnd(), result.nextOffset(), builder,
                nowMs));
    }

    private void deleteFiles(TreeMap<Long, Path> files, List<Long> bases, int from) throws IOException {
        for (int i = from; i < bases.size(); i++) {
            Path file = files.get(bases.get(i));
            LOG.warn("{}: deleting segment {} (after the cut)", dir, file.getFileName());
            Files.deleteIfExists(file);
            Files.deleteIfExists(LogSegment.indexFileOf(file));
            Files.deleteIfExists(LogSegment.timeIndexFileOf(file));
            bytesChecked++;
        }
    }

    /**
     * The epoch history: the saved one cut at {@code checkedFrom} (where checking began) and completed
     * from the checked batches, or, if the file is lost, rebuilt from every batch header; then kept
     * to the log's offsets, as {@link EpochHistory#truncateFromStart} keeps it while the log runs.
     */
    private EpochHistory loadEpochs(List<LogSegment> segments, long checkedFrom, long logStart, long logEnd)
            throws IOException {
        Optional<List<EpochHistory.Entry>> saved = CheckpointFiles.readEpochs(dir);
        EpochHistory epochs;
        if (saved.isPresent()) {
            epochs = new EpochHistory(saved.get());
            epochs.truncateFromEnd(checkedFrom);
        } else {
            if (!segments.isEmpty()) {
                LOG.warn("{}: no readable {}; rebuilding the epoch history from every batch", dir,
                        CheckpointFiles.LEADER_EPOCH_FILE);
            }
            epochs = new EpochHistory();
            epochs.markDirty();
            scannedEpochs.clear();
            for (LogSegment segment : segments) {
                scanner.scan(segment.logFile(), segment.baseOffset(), Long.MAX_VALUE, Integer.MIN_VALUE,
                        (at, base, last, epoch, maxTimestamp, size) -> noteEpoch(epoch, base));
            }
        }
        for (EpochHistory.Entry entry : scannedEpochs) {
            epochs.assign(entry.epoch(), entry.startOffset());
        }
        epochs.truncateFromEnd(logEnd);
        // The checkpoint may predate the last move of the start (retention saves it lazily).
        epochs.truncateFromStart(logStart, logEnd);
        return epochs;
    }

    /** Forces the checked segments to disk; returns the recovery point at the recovered end. */
    private RecoveryPoint makeDurable(List<LogSegment> segments, int firstChecked, long logStart) throws IOException {
        for (int i = Math.min(firstChecked, segments.size() - 1); i < segments.size(); i++) {
            Path file = segments.get(i).logFile();
            AtomicFiles.syncFile(file);
            for (Path index : List.of(LogSegment.indexFileOf(file), LogSegment.timeIndexFileOf(file))) {
                if (Files.exists(index)) {
                    AtomicFiles.syncFile(index);
                }
            }
        }
        AtomicFiles.syncDirectory(dir);
        LogSegment active = segments.get(segments.size() - 1);
        return new RecoveryPoint(active.nextOffset(), active.baseOffset(), active.size(), logStart);
    }
}
