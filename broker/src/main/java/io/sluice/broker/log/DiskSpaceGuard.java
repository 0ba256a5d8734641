package io.sluice.broker.log;

import io.sluice.proto.v1.ErrorCode;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses appends before a data directory's disk is full. Writing to a memory-mapped page that the
 * file system cannot back kills the JVM with SIGBUS, so the log must stop well before the disk does.
 *
 * <p>Every append reports its size ({@link #checkAppend}); the free space is probed again once
 * {@code probeEveryBytes} were appended since the last probe, before every new or larger mapping
 * ({@link #checkBeforeMapping}), on every append attempt while the disk is below the threshold, and
 * on {@link #refresh()}. An append is refused with {@code STORAGE_FULL} when the last probed free
 * space, minus what was appended since, minus the append, would fall below {@code minFreeBytes}. So
 * this process never eats more than {@code probeEveryBytes} into the reserve between two probes. Reads
 * never consult the guard. Appends resume by themselves once space is freed.
 *
 * <p>Thread-safe: one guard is shared by every log of a data directory.
 */
public final class DiskSpaceGuard {
    /** Reports the bytes a process may still write to the data directory's file system. */
    @FunctionalInterface
    public interface FreeSpaceProbe {
        long usableBytes() throws IOException;
    }

    private final FreeSpaceProbe probe;
    private final long minFreeBytes;
    private final long probeEveryBytes;
    private final AtomicLong appendedSinceProbe = new AtomicLong();
    private volatile long lastFreeBytes;
    private volatile boolean full;

    /**
     * @param probe           how to measure free space (tests inject one)
     * @param minFreeBytes    appends are refused below this much free space
     * @param probeEveryBytes appended bytes between two probes; at most this much of the reserve can be
     *                        used before the guard notices
     */
    public DiskSpaceGuard(FreeSpaceProbe probe, long minFreeBytes, long probeEveryBytes) {
        if (minFreeBytes < 0 || probeEveryBytes < 1) {
            throw new IllegalArgumentException("minFreeBytes must be >= 0 and probeEveryBytes >= 1");
        }
        this.probe = probe;
        this.minFreeBytes = minFreeBytes;
        this.probeEveryBytes = probeEveryBytes;
        refresh();
    }

    /** A probe of the file system that holds {@code dir}. */
    public static FreeSpaceProbe fileStoreProbe(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        return store::getUsableSpace;
    }

    /** A guard that never refuses (for tests and tools that do not exercise the guard). */
    public static DiskSpaceGuard unlimited() {
        return new DiskSpaceGuard(() -> Long.MAX_VALUE, 0, Long.MAX_VALUE);
    }

    /**
     * Accounts for an append of {@code bytes}, or refuses it.
     *
     * @throws LogException STORAGE_FULL below the threshold, STORAGE_ERROR when free space cannot be read
     */
    public void checkAppend(long bytes) {
        long pending = appendedSinceProbe.addAndGet(bytes);
        if (full || pending >= probeEveryBytes || lastFreeBytes - pending < minFreeBytes) {
            probeOrThrow();
            pending = appendedSinceProbe.addAndGet(bytes);
        }
        if (lastFreeBytes - pending < minFreeBytes) {
            appendedSinceProbe.addAndGet(-bytes);
            full = true;
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_FULL, "only " + lastFreeBytes
                    + " bytes are free on the data directory's disk; appends stop below " + minFreeBytes);
        }
    }

    /**
     * Probes before the log maps {@code bytes} more of a file, and refuses if the mapping could take
     * the disk below the threshold.
     */
    public void checkBeforeMapping(long bytes) {
        probeOrThrow();
        if (lastFreeBytes - bytes < minFreeBytes) {
            full = true;
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_FULL, "mapping " + bytes + " more bytes would leave "
                    + (lastFreeBytes - bytes) + " bytes free, below the limit of " + minFreeBytes);
        }
    }

    /** Probes now (the maintenance pass calls this so {@link #isFull()} stays current without appends). */
    public void refresh() {
        try {
            probeOrThrow();
        } catch (LogException e) {
            full = true;
        }
    }

    /** Whether appends are being refused (as of the last probe). */
    public boolean isFull() {
        return full;
    }

    /** Free bytes at the last probe. */
    public long lastFreeBytes() {
        return lastFreeBytes;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    private void probeOrThrow() {
        long free;
        try {
            free = probe.usableBytes();
        } catch (IOException e) {
            throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, "cannot read the free disk space: "
                    + e.getMessage(), e);
        }
        appendedSinceProbe.set(0);
        lastFreeBytes = free;
        full = free < minFreeBytes;
    }
}
