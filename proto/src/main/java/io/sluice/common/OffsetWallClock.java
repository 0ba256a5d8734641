package io.sluice.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A clock whose wall time is another clock's plus an offset read from a file, so the chaos harness
 * can make one node's wall clock jump (Jepsen's clock faults) without touching the machine's clock.
 * Monotonic time is never shifted: timeouts and sessions stay correct, as they would on a machine
 * whose NTP stepped the wall clock.
 *
 * <p>The file holds one integer, the offset in milliseconds (may be negative); a missing or empty
 * file means 0, and a malformed one keeps the last good value. It is re-read at most once per
 * {@value #REREAD_INTERVAL_MS} ms of monotonic time. Thread-safe.
 */
public final class OffsetWallClock implements Clock {
    /** The JVM system property naming the offset file; unset in production. */
    public static final String OFFSET_FILE_PROPERTY = "sluice.clock.offset.file";
    static final long REREAD_INTERVAL_MS = 1_000;

    private final Clock base;
    private final Path offsetFile;
    private volatile long offsetMs;
    private volatile long nextReadMs = Long.MIN_VALUE;

    public OffsetWallClock(Clock base, Path offsetFile) {
        this.base = base;
        this.offsetFile = offsetFile;
    }

    /** The system clock, shifted by the file named in {@value #OFFSET_FILE_PROPERTY} if that is set. */
    public static Clock fromSystemProperties() {
        String file = System.getProperty(OFFSET_FILE_PROPERTY, "");
        return file.isBlank() ? SystemClock.INSTANCE : new OffsetWallClock(SystemClock.INSTANCE, Path.of(file));
    }

    @Override
    public long wallMs() {
        long now = base.monotonicMs();
        if (now >= nextReadMs) {
            nextReadMs = now + REREAD_INTERVAL_MS;
            offsetMs = readOffset();
        }
        return base.wallMs() + offsetMs;
    }

    private long readOffset() {
        try {
            String text = Files.readString(offsetFile, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            return offsetMs;
        }
    }

    @Override
    public long monotonicMs() {
        return base.monotonicMs();
    }

    @Override
    public long monotonicNs() {
        return base.monotonicNs();
    }

    @Override
    public void sleepMs(long durationMs) throws InterruptedException {
        base.sleepMs(durationMs);
    }
}
