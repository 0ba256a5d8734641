package io.sluice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetWallClockTest {
    @TempDir
    Path dir;

    @Test
    void wallTimeFollowsTheFileAndMonotonicTimeNever() throws Exception {
        ManualClock base = new ManualClock(1_000_000);
        Path file = dir.resolve("offset");
        OffsetWallClock clock = new OffsetWallClock(base, file);
        assertEquals(1_000_000, clock.wallMs(), "no file: no offset");

        Files.writeString(file, "-60000\n");
        assertEquals(1_000_000, clock.wallMs(), "re-read only after the interval");
        base.advanceMs(OffsetWallClock.REREAD_INTERVAL_MS);
        assertEquals(1_000_000 + OffsetWallClock.REREAD_INTERVAL_MS - 60_000, clock.wallMs());
        assertEquals(OffsetWallClock.REREAD_INTERVAL_MS, clock.monotonicMs());

        Files.writeString(file, "garbage");
        base.advanceMs(OffsetWallClock.REREAD_INTERVAL_MS);
        assertEquals(base.wallMs() - 60_000, clock.wallMs(), "a malformed file keeps the last offset");

        Files.delete(file);
        base.advanceMs(OffsetWallClock.REREAD_INTERVAL_MS);
        assertEquals(base.wallMs(), clock.wallMs(), "a removed file means no offset");
    }

    @Test
    void withoutThePropertyTheSystemClockIsUsed() {
        System.clearProperty(OffsetWallClock.OFFSET_FILE_PROPERTY);
        assertEquals(SystemClock.INSTANCE, OffsetWallClock.fromSystemProperties());
    }
}
