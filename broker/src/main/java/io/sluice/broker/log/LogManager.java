package io.sluice.broker.log;

import io.sluice.broker.log.internal.AtomicFiles;
import io.sluice.common.Clock;
import io.sluice.proto.v1.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every partition log of a broker's data directory: {@code <dataDir>/<topicId>-<partition>/}.
 *
 * <p>Life cycle: {@link #open} locks the data directory, removes what interrupted deletions left,
 * and opens (recovering where needed) every log it finds, several at a time; a log that cannot be
 * opened is reported by {@link #offlineLogs()} and left alone. The broker then gets each replica's log
 * with {@link #getOrCreateLog} (which also applies the topic's settings), drops a replica with
 * {@link #deleteLog}, and runs {@link #poll} periodically, normally through a
 * {@link LogMaintenanceDriver}: each pass lets every log roll by age, apply retention up to the
 * high watermark its owner reports ({@link HighWatermarkSource}), unmap idle segments and flush as
 * its policy says, and saves changed checkpoints every {@code checkpointIntervalMs}. {@link #close}
 * closes every log cleanly, so the next start needs no recovery.
 *
 * <p>One {@link DiskSpaceGuard} serves all logs: appends fail with {@code STORAGE_FULL} below
 * {@code minFreeBytes}, reads go on.
 *
 * <p>Thread-safe. {@link #poll} may run on the maintenance thread while other threads use the logs.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    private static final String LOCK_FILE = ".lock";
    private static final String DELETED_SUFFIX = ".deleted";
    private static final AtomicLong DELETIONS = new AtomicLong();

    private final StorageConfig config;
    private final Clock clock;
    private final HighWatermarkSource highWatermarks;
    private final DiskSpaceGuard guard;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<TopicIdPartition, ChronicleLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicIdPartition, String> offline = new ConcurrentHashMap<>();
    private volatile long lastCheckpointMs;
    private volatile boolean closed;

    private LogManager(StorageConfig config, Clock clock, HighWatermarkSource highWatermarks, DiskSpaceGuard guard,
            FileChannel lockChannel, FileLock lock) {
        this.config = config;
        this.clock = clock;
        this.highWatermarks = highWatermarks;
        this.guard = guard;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.lastCheckpointMs = clock.wallMs();
    }

    /** Opens the data directory, measuring free space on its file system. */
    public static LogManager open(StorageConfig config, Clock clock, HighWatermarkSource highWatermarks) {
        try {
            Files.createDirectories(config.dataDir());
            return open(config, clock, highWatermarks, DiskSpaceGuard.fileStoreProbe(config.dataDir()));
        } catch (IOException e) {
            throw storageError("cannot open the data directory " + config.dataDir(), e);
        }
    }

    /**
     * Opens the data directory with {@code probe} measuring free space (tests inject one), and opens
     * every log in it.
     *
     * @throws LogException STORAGE_ERROR when the directory cannot be used or another process holds it
     */
    public static LogManager open(StorageConfig config, Clock clock, HighWatermarkSource highWatermarks,
            DiskSpaceGuard.FreeSpaceProbe probe) {
        Path dataDir = config.dataDir();
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel, dataDir);
            DiskSpaceGuard guard = new DiskSpaceGuard(probe, config.minFreeBytes(), config.probeEveryBytes());
            LogManager manager = new LogManager(config, clock, highWatermarks, guard, channel, lock);
            manager.openExistingLogs();
            return manager;
        } catch (IOException e) {
            closeQuietly(channel);
            throw storageError("cannot open the data directory " + dataDir, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel, Path dataDir) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, "the data directory " + dataDir
                    + " is in use by another log manager");
        }
        return lock;
    }

    private void openExistingLogs() throws IOException {
        List<TopicIdPartition> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(config.dataDir())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(DELETED_SUFFIX)) {
                    AtomicFiles.deleteTree(entry);
                } else if (Files.isDirectory(entry)) {
                    TopicIdPartition.fromDirName(name).ifPresentOrElse(found::add,
                            () -> LOG.warn("{}: ignoring {}, which is not a partition directory", config.dataDir(),
                                    name));
                }
            }
        }
        Map<TopicIdPartition, Future<ChronicleLog>> opening = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.ioThreads(), Math.max(1, found.size())));
        try {
            for (TopicIdPartition partition : found) {
                opening.put(partition, pool.submit(() -> openLog(partition, config.defaultLogConfig())));
            }
            for (Map.Entry<TopicIdPartition, Future<ChronicleLog>> entry : opening.entrySet()) {
                collect(entry.getKey(), entry.getValue());
            }
        } finally {
            pool.shutdownNow();
        }
        LOG.info("{}: opened {} logs ({} offline)", config.dataDir(), logs.size(), offline.size());
    }

    private void collect(TopicIdPartition partition, Future<ChronicleLog> future) {
        try {
            logs.put(partition, future.get());
        } catch (ExecutionException e) {
            LOG.error("{}: the log of {} cannot be opened; the replica stays offline", config.dataDir(), partition,
                    e.getCause());
            offline.put(partition, String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storageError("interrupted while opening logs", e);
        }
    }

    private ChronicleLog openLog(TopicIdPartition partition, LogConfig logConfig) {
        return ChronicleLog.open(config.dataDir().resolve(partition.dirName()), logConfig, clock, guard,
                config.idleUnmapMs());
    }

    /**
     * The log of {@code partition}, created empty if the broker has none, with {@code logConfig} applied.
     *
     * @throws LogException STORAGE_ERROR when the replica's log is offline or cannot be created
     */
    public ChronicleLog getOrCreateLog(TopicIdPartition partition, LogConfig logConfig) {
        ensureOpen();
        String reason = offline.get(partition);
        if (reason != null) {
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, "the log of " + partition
                    + " is offline: " + reason);
        }
        ChronicleLog log = logs.computeIfAbsent(partition, p -> openLog(p, logConfig));
        if (!log.config().equals(logConfig)) {
            log.updateConfig(logConfig);
        }
        return log;
    }

    /** The log of {@code partition} if the broker has it open. */
    public Optional<ChronicleLog> log(TopicIdPartition partition) {
        return Optional.ofNullable(logs.get(partition));
    }

    /** The partitions whose logs are open. */
    public Set<TopicIdPartition> partitions() {
        return Collections.unmodifiableSet(logs.keySet());
    }

    /** Logs found at start-up that could not be opened, with the reason. */
    public Map<TopicIdPartition, String> offlineLogs() {
        return Map.copyOf(offline);
    }

    /**
     * Closes and deletes the log of {@code partition}: its directory is renamed at once (a new log for
     * the same partition can be created right away) and then removed. A no-op if there is none.
     */
    public void deleteLog(TopicIdPartition partition) {
        ChronicleLog log = logs.remove(partition);
        offline.remove(partition);
        Path dir = config.dataDir().resolve(partition.dirName());
        try {
            if (log != null) {
                log.close();
            }
            if (Files.exists(dir)) {
                String doomedName = dir.getFileName() + "." + DELETIONS.incrementAndGet() + DELETED_SUFFIX;
                Path doomed = dir.resolveSibling(doomedName);
                Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.syncDirectory(config.dataDir());
                AtomicFiles.deleteTree(doomed);
            }
        } catch (IOException e) {
            throw storageError("cannot delete the log of " + partition, e);
        }
    }

    /**
     * One maintenance pass over every log (see the class comment). Errors of one log are logged and do
     * not stop the pass.
     *
     * @return the number of segments retention deleted
     */
    public int poll(long nowMs) {
        if (closed) {
            return 0;
        }
        guard.refresh();
        int deleted = 0;
        for (Map.Entry<TopicIdPartition, ChronicleLog> entry : logs.entrySet()) {
            try {
                deleted += entry.getValue().maintain(nowMs, highWatermarks.highWatermark(entry.getKey()));
            } catch (RuntimeException e) {
                LOG.warn("{}: maintenance of {} failed: {}", config.dataDir(), entry.getKey(), e.getMessage());
            }
        }
        if (nowMs - lastCheckpointMs >= config.checkpointIntervalMs()) {
            lastCheckpointMs = nowMs;
            for (Map.Entry<TopicIdPartition, ChronicleLog> entry : logs.entrySet()) {
                try {
                    entry.getValue().checkpoint();
                } catch (RuntimeException e) {
                    LOG.warn("{}: checkpoint of {} failed: {}", config.dataDir(), entry.getKey(), e.getMessage());
                }
            }
        }
        return deleted;
    }

    /** The data directory's free-space guard. */
    public DiskSpaceGuard diskSpaceGuard() {
        return guard;
    }

    public StorageConfig config() {
        return config;
    }

    /** Segments currently mapped, over all logs (each mapping also holds one open file). */
    public int mappedSegmentCount() {
        return logs.values().stream().mapToInt(ChronicleLog::mappedSegmentCount).sum();
    }

    /**
     * Closes every log cleanly (in parallel) and releases the data directory. Stop the
     * {@link LogMaintenanceDriver} first. Idempotent.
     *
     * @throws LogException after closing everything, when a log had failed or failed to close: not
     *                      everything was flushed, so the stop must not be called clean
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.ioThreads(), Math.max(1, logs.size())));
        int unclean = 0;
        try {
            List<Future<?>> closing = new ArrayList<>();
            for (ChronicleLog log : logs.values()) {
                closing.add(pool.submit(log::close));
                unclean += log.isFailed() ? 1 : 0;
            }
            for (Future<?> future : closing) {
                unclean += waitQuietly(future) ? 0 : 1;
            }
        } finally {
            pool.shutdownNow();
            logs.clear();
            try {
                lock.release();
            } catch (IOException e) {
                LOG.warn("{}: cannot release the directory lock: {}", config.dataDir(), e.getMessage());
            }
            closeQuietly(lockChannel);
        }
        if (unclean > 0) {
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, unclean + " log(s) in " + config.dataDir()
                    + " failed before or while closing; they were not all flushed");
        }
    }

    /** Waits for one log's close; false if it failed or was interrupted. */
    private boolean waitQuietly(Future<?> future) {
        try {
            future.get();
            return true;
        } catch (ExecutionException e) {
            LOG.error("{}: a log failed to close cleanly; it will be recovered at the next start",
                    config.dataDir(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, "the log manager is closed");
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    private static LogException storageError(String message, Exception cause) {
        return new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, message + ": " + cause.getMessage(), cause);
    }
}
