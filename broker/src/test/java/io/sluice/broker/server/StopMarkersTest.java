package io.sluice.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.server.StopMarkers.PreviousStop;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopMarkersTest {
    @TempDir
    Path dir;

    @Test
    void aNewDirectoryHadNoPreviousProcessAndCountsAsNotIntact() throws Exception {
        PreviousStop first = StopMarkers.begin(dir, "boot-a");
        assertEquals(PreviousStop.NONE, first);
        assertFalse(first.logIntact());
        assertEquals("boot-a", Files.readString(dir.resolve(StopMarkers.BOOT_ID_FILE)).trim());
    }

    @Test
    void aKilledProcessOnTheSameBootLeftItsWritesInThePageCache() throws Exception {
        StopMarkers.begin(dir, "boot-a");
        StopMarkers.reported(dir);
        PreviousStop again = StopMarkers.begin(dir, "boot-a");
        assertEquals(PreviousStop.KILLED_SAME_BOOT, again);
        assertTrue(again.logIntact());
    }

    @Test
    void aKilledProcessFollowedByAMachineRestartMayHaveLostWrites() throws Exception {
        StopMarkers.begin(dir, "boot-a");
        StopMarkers.reported(dir);
        assertEquals(PreviousStop.KILLED_OTHER_BOOT, StopMarkers.begin(dir, "boot-b"));
        assertFalse(PreviousStop.KILLED_OTHER_BOOT.logIntact());
        StopMarkers.reported(dir);
        assertEquals(PreviousStop.KILLED_SAME_BOOT, StopMarkers.begin(dir, "boot-b"), "the new boot is recorded");
    }

    @Test
    void aStartThatWasNotIntactStaysNotIntactUntilTheControllerWasTold() throws Exception {
        assertEquals(PreviousStop.NONE, StopMarkers.begin(dir, "boot-a"), "a wiped log directory");
        // Killed before it registered: on the same boot, the restart must not claim an intact log.
        PreviousStop restart = StopMarkers.begin(dir, "boot-a");
        assertEquals(PreviousStop.NOT_REPORTED, restart);
        assertFalse(restart.logIntact());
        StopMarkers.markCleanStop(dir);
        assertEquals(PreviousStop.NOT_REPORTED, StopMarkers.begin(dir, "boot-a"), "even after a clean stop");
        StopMarkers.reported(dir);
        assertEquals(PreviousStop.KILLED_SAME_BOOT, StopMarkers.begin(dir, "boot-a"), "told: judged on its own again");
    }

    @Test
    void withoutABootIdOnlyACleanStopCounts() throws Exception {
        StopMarkers.begin(dir, "");
        StopMarkers.reported(dir);
        assertEquals(PreviousStop.KILLED_OTHER_BOOT, StopMarkers.begin(dir, ""));
        StopMarkers.reported(dir);
        StopMarkers.markCleanStop(dir);
        assertEquals(PreviousStop.CLEAN, StopMarkers.begin(dir, ""));
    }

    @Test
    void aCleanStopIsIntactAcrossARestartAndIsConsumedByTheNextStart() throws Exception {
        StopMarkers.begin(dir, "boot-a");
        StopMarkers.reported(dir);
        StopMarkers.markCleanStop(dir);
        PreviousStop afterClean = StopMarkers.begin(dir, "boot-b");
        assertEquals(PreviousStop.CLEAN, afterClean);
        assertTrue(afterClean.logIntact());
        assertFalse(Files.exists(dir.resolve(StopMarkers.CLEAN_STOP_FILE)), "a crash of this start is unclean");
        assertEquals(PreviousStop.KILLED_OTHER_BOOT, StopMarkers.begin(dir, "boot-c"));
    }

    @Test
    void aDirectoryWhoseMarkersWereWipedIsNotIntact() throws Exception {
        StopMarkers.begin(dir, "boot-a");
        StopMarkers.reported(dir);
        StopMarkers.markCleanStop(dir);
        Files.delete(dir.resolve(StopMarkers.CLEAN_STOP_FILE));
        Files.delete(dir.resolve(StopMarkers.BOOT_ID_FILE));
        assertEquals(PreviousStop.NONE, StopMarkers.begin(dir, "boot-a"));
    }

    @Test
    void theSystemBootIdIsReadWhereLinuxGivesOne() {
        String id = StopMarkers.currentBootId();
        if (Files.isReadable(Path.of("/proc/sys/kernel/random/boot_id"))) {
            assertEquals(36, id.length(), id);
        } else {
            assertEquals("", id);
        }
    }
}
