package io.sluice.jepsen.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.common.SystemClock;
import io.sluice.jepsen.net.LoopbackNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that dies during start-up, or never gets ready, fails the start with its log's tail. */
class ClusterStartFailureTest {
    @TempDir
    Path dir;

    @Test
    void aNodeThatDiesBeforeReadyFailsTheStartWithItsLog() throws Exception {
        NodeCommand failing = node -> List.of("/bin/sh", "-c", "echo 'no such setting: bogus'; exit 3");
        try (ClusterLauncher cluster = ClusterLauncher.create(new ClusterSpec(1, dir, failing, Map.of(), 30_000,
                5_000), new LoopbackNetwork("test"), SystemClock.INSTANCE, line -> { })) {
            IOException e = assertThrows(IOException.class, cluster::startAll);
            assertTrue(e.getMessage().contains("exited with code 3") && e.getMessage().contains("bogus"),
                    e.getMessage());
        }
    }

    @Test
    void aNodeThatNeverGetsReadyTimesOut() throws Exception {
        NodeCommand silent = node -> List.of("/bin/sh", "-c", "exec sleep 60");
        try (ClusterLauncher cluster = ClusterLauncher.create(new ClusterSpec(1, dir, silent, Map.of(), 1_000,
                5_000), new LoopbackNetwork("test"), SystemClock.INSTANCE, line -> { })) {
            IOException e = assertThrows(IOException.class, cluster::startAll);
            assertTrue(e.getMessage().contains("not ready after 1000 ms"), e.getMessage());
        }
    }
}
