package io.sluice.broker.log;

import java.nio.file.Path;

/**
 * Settings of a broker's log storage, as opposed to the per-topic {@link LogConfig}.
 *
 * @param dataDir               the data directory: one sub-directory per partition replica
 * @param defaultLogConfig      settings for logs found at start-up until their owner supplies the
 *                              topic's own ({@link LogManager#getOrCreateLog})
 * @param minFreeBytes          appends are refused with STORAGE_FULL below this much free disk space
 * @param maintenanceIntervalMs how often the maintenance thread runs {@link LogManager#poll}
 * @param checkpointIntervalMs  how often changed recovery points and epoch histories are saved
 * @param idleUnmapMs           a segment nobody read or wrote for this long is unmapped
 * @param ioThreads             threads that open (recover) and close logs in parallel
 */
public record StorageConfig(Path dataDir, LogConfig defaultLogConfig, long minFreeBytes, long maintenanceIntervalMs,
        long checkpointIntervalMs, long idleUnmapMs, int ioThreads) {
    /** 1 GiB of free space kept; maintenance every second; checkpoints every minute; unmap after 30 s. */
    public static StorageConfig defaults(Path dataDir) {
        return new StorageConfig(dataDir, LogConfig.DEFAULT, 1L << 30, 1000, 60_000, 30_000, 8);
    }

    public StorageConfig {
        if (dataDir == null || defaultLogConfig == null) {
            throw new IllegalArgumentException("the data directory and the default log config must be set");
        }
        if (minFreeBytes < 0 || maintenanceIntervalMs < 1 || checkpointIntervalMs < 0 || idleUnmapMs < 0
                || ioThreads < 1) {
            throw new IllegalArgumentException("invalid storage settings: " + minFreeBytes + " free bytes, "
                    + maintenanceIntervalMs + " ms maintenance, " + checkpointIntervalMs + " ms checkpoints, "
                    + idleUnmapMs + " ms idle, " + ioThreads + " threads");
        }
    }

    /** Appended bytes between two free-space probes: a quarter of the reserve, within 1 to 64 MiB. */
    public long probeEveryBytes() {
        return Math.max(1L << 20, Math.min(64L << 20, minFreeBytes / 4));
    }
}
