package io.sluice.broker.server;

import io.sluice.broker.log.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells whether a node's partition logs still hold everything its previous process wrote, from two
 * files in the logs directory: {@code clean-stop}, written once the logs are closed (every write
 * flushed, recovery points saved) and removed at the next start; and {@code boot-id}, the Linux boot
 * id of the machine when the previous process started. Writes go through memory mappings into the
 * page cache, so a killed process loses none of them while the machine stays up; only a machine
 * restart (power loss, kernel crash) can drop what was not flushed. The logs are intact after a
 * clean stop, or after an unclean one on the same boot; not on a first start or in a wiped
 * directory (no boot id recorded), nor where the system gives no boot id. The chaos harness deletes
 * the marker and records an earlier boot id when it simulates a machine crash with storage damage.
 * Stateless.
 */
final class StopMarkers {
    /** Present only between a clean stop and the next start. */
    static final String CLEAN_STOP_FILE = "clean-stop";
    /** The boot id the last start ran on. */
    static final String BOOT_ID_FILE = "boot-id";
    /**
     * Present from a start whose logs were not intact until the controller has been told so: a
     * process killed before it registered must not pass its restart off as intact.
     */
    static final String NOT_INTACT_FILE = "not-intact";
    private static final Path SYSTEM_BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private StopMarkers() {
    }

    /** This machine's boot id, or empty where the system does not tell. */
    static String currentBootId() {
        try {
            return Files.readString(SYSTEM_BOOT_ID, StandardCharsets.US_ASCII).trim();
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    /** How the previous process on a data directory ended. */
    enum PreviousStop {
        /** It stopped cleanly. */
        CLEAN,
        /** It was killed, and the machine has not restarted since. */
        KILLED_SAME_BOOT,
        /** It was killed and the machine has restarted (or the system gives no boot id). */
        KILLED_OTHER_BOOT,
        /** No process ran on it before (a new or wiped directory). */
        NONE,
        /**
         * An earlier start found its logs not intact and stopped before its registration told the
         * controller so; whatever happened since, they are still not known to be whole.
         */
        NOT_REPORTED;

        /** Whether the logs hold everything the previous process wrote. */
        boolean logIntact() {
            return this == CLEAN || this == KILLED_SAME_BOOT;
        }
    }

    /**
     * Called at start, before the logs are opened: answers how the previous process stopped, then
     * removes the clean-stop marker and records {@code bootId}, so a crash of this one is seen as
     * unclean. A start whose logs are not intact leaves the {@code not-intact} marker until
     * {@link #reported}; a later start that finds it answers {@link PreviousStop#NOT_REPORTED}.
     */
    static PreviousStop begin(Path root, String bootId) throws IOException {
        Path marker = root.resolve(CLEAN_STOP_FILE);
        Path bootFile = root.resolve(BOOT_ID_FILE);
        Path notIntact = root.resolve(NOT_INTACT_FILE);
        PreviousStop previous;
        if (Files.exists(notIntact)) {
            previous = PreviousStop.NOT_REPORTED;
            Files.deleteIfExists(marker);
        } else if (Files.exists(marker)) {
            previous = PreviousStop.CLEAN;
            Files.delete(marker);
            AtomicFiles.syncDirectory(root);
        } else if (!Files.exists(bootFile)) {
            previous = PreviousStop.NONE;
        } else {
            String previousBoot = Files.readString(bootFile, StandardCharsets.US_ASCII).trim();
            previous = !bootId.isEmpty() && bootId.equals(previousBoot) ? PreviousStop.KILLED_SAME_BOOT
                    : PreviousStop.KILLED_OTHER_BOOT;
        }
        if (!previous.logIntact() && !Files.exists(notIntact)) {
            AtomicFiles.write(notIntact, new byte[0]);
        }
        AtomicFiles.write(bootFile, (bootId + "\n").getBytes(StandardCharsets.US_ASCII));
        return previous;
    }

    /**
     * Called once the controller accepted a registration that said the logs were not intact (it took
     * the broker out of every eligible-leader list): later starts are judged on their own again.
     */
    static void reported(Path root) throws IOException {
        if (Files.deleteIfExists(root.resolve(NOT_INTACT_FILE))) {
            AtomicFiles.syncDirectory(root);
        }
    }

    /** Called once the logs closed without error: the next start will know the stop was clean. */
    static void markCleanStop(Path root) throws IOException {
        AtomicFiles.write(root.resolve(CLEAN_STOP_FILE), new byte[0]);
    }
}
