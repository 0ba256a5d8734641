package io.sluice.jepsen.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.common.SystemClock;
import io.sluice.jepsen.net.LoopbackNetwork;
import io.sluice.jepsen.os.Processes;
import io.sluice.jepsen.testing.StandIns;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher against real processes: stand-in nodes ({@code EchoNode}) started the way real
 * nodes are, on loopback (the namespace variant is in {@code NamespaceNetworkTest}).
 */
class ClusterLauncherTest {
    private static final int TIMEOUT_MS = 5_000;

    @TempDir
    Path dir;

    private ClusterLauncher cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterLauncher.create(new ClusterSpec(2, dir, StandIns.command(dir), Map.of(), 60_000, 10_000),
                new LoopbackNetwork("test"), SystemClock.INSTANCE, line -> { });
        cluster.startAll();
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void everyNodeGetsItsOwnPlaceAndTheLaunchedPidIsTheNodeItself() throws Exception {
        for (ClusterNode node : cluster.nodes()) {
            assertEquals("hello " + node.id(), StandIns.ask(node, "echo hello " + node.id(), TIMEOUT_MS));
            // signals must reach the node's JVM, not a wrapper around it
            assertEquals(Long.toString(cluster.pid(node.id()).orElseThrow()), StandIns.ask(node, "pid", TIMEOUT_MS));
            String properties = Files.readString(node.configFile(), StandardCharsets.UTF_8);
            assertTrue(properties.contains("node.id=" + node.id()), properties);
            assertTrue(properties.contains("controller.quorum.voters=1@127.0.0.1:"), properties);
            assertTrue(properties.contains("data.dir=" + node.dataDir()), properties);
            assertTrue(Files.isRegularFile(node.logFile()));
        }
        assertEquals(2, cluster.bootstrapServers().split(",").length);
        assertEquals(2, cluster.nodes().stream().map(ClusterNode::clientPort).distinct().count());
    }

    @Test
    void killedNodesStayDownUntilRestarted() throws Exception {
        ClusterNode node = cluster.node(2);
        long before = cluster.pid(2).orElseThrow();
        cluster.kill(List.of(2));
        assertFalse(cluster.isRunning(2));
        assertThrows(ConnectException.class, () -> StandIns.ask(node, "echo x", TIMEOUT_MS));
        assertEquals(Map.of(), cluster.unexpectedExits(), "a kill is no surprise");
        cluster.kill(List.of(2));

        cluster.start(List.of(2));
        cluster.awaitReady(List.of(2), 60_000);
        long after = cluster.pid(2).orElseThrow();
        assertNotEquals(before, after);
        assertEquals("back", StandIns.ask(node, "echo back", TIMEOUT_MS));
        String log = Files.readString(node.logFile(), StandardCharsets.UTF_8);
        assertTrue(log.contains("start #1 of node 2") && log.contains("start #2 of node 2"), log);
    }

    @Test
    void pausedNodesFreezeUntilResumed() throws Exception {
        ClusterNode node = cluster.node(1);
        long pid = cluster.pid(1).orElseThrow();
        cluster.pause(List.of(1));
        assertTrue(Processes.isStopped(pid));
        assertTrue(cluster.isPaused(1));
        assertThrows(SocketTimeoutException.class, () -> StandIns.ask(node, "echo frozen", 1_000));

        cluster.resume(List.of(1));
        cluster.resume(List.of(1));
        assertFalse(Processes.isStopped(pid));
        assertEquals("thawed", StandIns.ask(node, "echo thawed", TIMEOUT_MS));
        assertEquals(pid, cluster.pid(1).orElseThrow());
    }

    @Test
    void theClockOffsetFileReachesTheNodeThroughSluiceJavaOpts() throws Exception {
        ClusterNode node = cluster.node(2);
        assertEquals(node.clockOffsetFile().toString(), StandIns.ask(node, "property", TIMEOUT_MS));
        assertEquals("0", StandIns.ask(node, "clock", TIMEOUT_MS));
        cluster.setClockOffset(2, -5_000);
        assertEquals("-5000", StandIns.ask(node, "clock", TIMEOUT_MS));
        assertEquals(-5_000, cluster.clockOffset(2));
    }

    @Test
    void stopTerminatesCleanlyAndWipeEmptiesTheDataDirectory() throws Exception {
        ClusterNode node = cluster.node(1);
        assertThrows(IllegalStateException.class, () -> cluster.wipeData(1));
        long pid = cluster.pid(1).orElseThrow();
        cluster.stop(List.of(1));
        assertFalse(cluster.isRunning(1));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        try (Stream<Path> files = Files.list(node.dataDir())) {
            assertTrue(files.findAny().isPresent(), "the stand-in writes a segment");
        }
        cluster.wipeData(1);
        try (Stream<Path> files = Files.list(node.dataDir())) {
            assertTrue(files.findAny().isEmpty());
        }
        assertEquals(Map.of(), cluster.unexpectedExits());
    }

    @Test
    void aNodeThatExitsOnItsOwnIsReported() throws Exception {
        ClusterNode node = cluster.node(2);
        long pid = cluster.pid(2).orElseThrow();
        try {
            StandIns.ask(node, "exit 3", 2_000);
        } catch (IOException expected) {
            // it exits before answering
        }
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertEquals(Map.of(2, 3), cluster.unexpectedExits());
        assertEquals(List.of(2), cluster.notRunning());
    }
}
