package io.sluice.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags live twice: in bin/jvm-options (read by the launcher) and in the parent pom
 * (passed to test JVMs). This test runs inside a test JVM and checks that it got every flag the
 * launcher gives production JVMs, so the two lists cannot drift apart.
 */
class JvmOptionsTest {
    @Test
    void testJvmsRunWithTheLaunchersFlags() throws IOException {
        Path home = Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
        List<String> launcherFlags = Files.readAllLines(home.resolve("bin/jvm-options")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertFalse(launcherFlags.isEmpty(), "bin/jvm-options lists no flags");
        List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : launcherFlags) {
            assertTrue(running.contains(flag), "the test JVM lacks " + flag + "; running with " + running);
        }
    }
}
