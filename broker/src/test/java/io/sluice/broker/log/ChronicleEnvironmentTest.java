package io.sluice.broker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.core.OS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each case runs a child JVM in the file system's root (no {@code target} or {@code build} above it, as
 * for a node started from its data directory) with its own temporary directory, because Chronicle Core
 * picks its build directory once, when its classes load.
 */
class ChronicleEnvironmentTest {
    @TempDir
    Path tmp;

    /** The child: calls {@link ChronicleEnvironment#prepare()}, names its temp dir, or neither; loads Chronicle. */
    public static final class Probe {
        public static void main(String[] args) {
            if (args.length > 0 && args[0].equals("prepare")) {
                ChronicleEnvironment.prepare();
            } else if (args.length > 0 && args[0].equals("existing")) {
                System.setProperty(ChronicleEnvironment.BUILD_DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir"));
            }
            System.out.println(OS.getTarget());
        }
    }

    @Test
    void aPreparedProcessLeavesNothingInTheTemporaryDirectory() throws Exception {
        String target = probe("prepare");
        assertTrue(target.endsWith(ChronicleEnvironment.UNUSED_DIRECTORY), target);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "Chronicle created something in " + tmp);
        }
    }

    @Test
    void namingAnExistingDirectoryWouldLeaveATmpDirectoryInIt() throws Exception {
        String target = probe("existing");
        assertTrue(target.endsWith(tmp.getFileName().toString()), target); // Chronicle drops the leading '/'
        assertTrue(Files.isDirectory(tmp.resolve("tmp")));
    }

    @Test
    void withoutItChronicleCreatesATargetDirectoryThere() throws Exception {
        String target = probe("plain");
        assertTrue(target.endsWith(tmp.getFileName() + "/target"), target);
        assertTrue(Files.isDirectory(tmp.resolve("target")));
    }

    private String probe(String mode) throws IOException, InterruptedException {
        List<String> command = ChildJvm.command();
        command.addAll(List.of("-Xmx64m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), mode));
        Process child = new ProcessBuilder(command).directory(new File("/"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the probe JVM did not finish");
            }
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, child.exitValue(), out);
            return out.lines().reduce((first, second) -> second).orElse("");
        } finally {
            child.destroyForcibly();
        }
    }
}
