package io.sluice.client.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the class data sharing archive that {@code bin/sluice} asked for: when a client command
 * runs without its archive, the launcher starts the JVM with {@code -XX:+RecordDynamicDumpInfo} and
 * names the archive in the {@code sluice.cds.archive} property, and after the command succeeds the
 * CLI has the JVM write every class it loaded into that file (the {@code VM.cds dynamic_dump}
 * diagnostic command, which JDK 17 and later have). The next run of the command maps the archive
 * and skips loading and verifying those classes again.
 *
 * <p>The JVM writes to a temporary file next to the archive, which is then forced to disk and renamed
 * over the archive's name: another run of the same command may be writing its own at the same time,
 * and a partial archive can crash the JVM that maps it. Nothing here may fail a command that has
 * already succeeded, so any problem (a read-only directory, a JDK without the command) is logged at
 * debug level and the archive is simply not written.
 */
final class ClassArchive {
    /** The system property through which {@code bin/sluice} names the archive to write. */
    static final String PROPERTY = "sluice.cds.archive";

    private static final Logger LOG = LoggerFactory.getLogger(ClassArchive.class);

    private ClassArchive() {
    }

    /** Writes the archive named by {@link #PROPERTY}, if it is set and the file does not exist yet. */
    static void writeIfRequested() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isEmpty()) {
            return;
        }
        Path archive = Path.of(name).toAbsolutePath();
        if (Files.exists(archive)) {
            return;
        }
        Path temporary = archive.resolveSibling(archive.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(archive.getParent());
            if (!Files.isWritable(archive.getParent())) {
                // Checked first: the JVM would collect every class before finding it cannot write.
                LOG.debug("no class archive: {} is not writable", archive.getParent());
                return;
            }
            String answer = dump(temporary);
            if (!Files.isRegularFile(temporary) || Files.size(temporary) == 0) {
                LOG.debug("no class archive written to {}: {}", temporary, answer.strip());
                return;
            }
            try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.READ)) {
                file.force(true);
            }
            Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception | LinkageError e) {
            LOG.debug("could not write the class archive {}", archive, e);
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (Exception e) {
                LOG.debug("could not remove {}", temporary, e);
            }
        }
    }

    /**
     * Runs {@code VM.cds dynamic_dump} into {@code file} and returns the command's answer. The JDK
     * also prints a line about the dump on {@code System.out}, which is where the command's own
     * output went, so standard output is set aside while it runs.
     */
    private static String dump(Path file) throws Exception {
        PrintStream out = System.out;
        out.flush();
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                    new Object[] {new String[] {"dynamic_dump", file.toString()}},
                    new String[] {String[].class.getName()});
            return String.valueOf(answer);
        } finally {
            System.setOut(out);
        }
    }
}
