package io.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.common.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterTest {
    @TempDir
    Path dir;

    @Test
    void layoutGivesEachNodeItsOwnPortsAndFiles() {
        ClusterLayout layout = new ClusterLayout(dir, 3, 9092);
        List<ClusterLayout.Node> nodes = layout.nodeList();
        assertEquals(List.of(9092, 9094, 9096), nodes.stream().map(ClusterLayout.Node::clientPort).toList());
        assertEquals(List.of(9093, 9095, 9097), nodes.stream().map(ClusterLayout.Node::raftPort).toList());
        assertEquals("1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097", layout.voters());
        assertEquals("127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096", layout.bootstrapServers());
        String props = layout.nodeProperties(nodes.get(1));
        assertTrue(props.contains("node.id=2\n") && props.contains("listen.address=127.0.0.1:9094\n")
                && props.contains("default.replication.factor=3\n") && props.contains("min.insync.replicas=2\n"),
                props);
        assertTrue(new ClusterLayout(dir, 1, 9092).nodeProperties(new ClusterLayout(dir, 1, 9092).nodeList().get(0))
                .contains("min.insync.replicas=1\n"));
    }

    @Test
    void overridesReplaceOrAddSettingsButNotTheLayoutsOwn() {
        ClusterLayout layout = new ClusterLayout(dir, 3, 9092);
        String props = layout.nodeProperties(layout.nodeList().get(0), Map.of("min.insync.replicas", "1",
                "leader.imbalance.check.interval.seconds", "30"));
        assertTrue(props.contains("min.insync.replicas=1\n") && !props.contains("min.insync.replicas=2")
                && props.contains("leader.imbalance.check.interval.seconds=30\n"), props);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layout.nodeProperties(layout.nodeList().get(0), Map.of("data.dir", "/elsewhere")));
        assertEquals("data.dir is set by the cluster's layout and cannot be overridden", e.getMessage());
    }

    @Test
    void overrideMistakesExitWithTwoAndSayWhy() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LocalCluster cluster = new LocalCluster(dir, new ManualClock(0), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, cluster.run(List.of("start", "--dir", dir.toString(), "--override", "retention.mss=1")));
        assertEquals(2, cluster.run(List.of("start", "--dir", dir.toString(), "--override", "noequals")));
        assertEquals(2, cluster.run(List.of("stop", "--dir", dir.toString(), "--override", "min.insync.replicas=1")));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("unknown node setting 'retention.mss'") && text.contains("takes key=value")
                && text.contains("applies to 'cluster start' only"), text);
    }

    @Test
    void layoutRefusesImpossibleSizes() {
        assertThrows(IllegalArgumentException.class, () -> new ClusterLayout(dir, 0, 9092));
        assertThrows(IllegalArgumentException.class, () -> new ClusterLayout(dir, 10, 9092));
        assertThrows(IllegalArgumentException.class, () -> new ClusterLayout(dir, 3, 65_534));
    }

    @Test
    void stateFileRoundTripsAndRejectsGarbage() throws Exception {
        Path file = dir.resolve("cluster.state");
        ClusterState state = new ClusterState(List.of(new ClusterState.NodeProcess(1, 4242, "/x/node.properties"),
                new ClusterState.NodeProcess(2, 4243, "/y/node properties")));
        ClusterState.write(file, state);
        assertEquals(state, ClusterState.read(file));
        assertEquals(List.of(), ClusterState.read(dir.resolve("missing")).nodes());
        Files.writeString(file, "1 not-a-pid /x\n");
        assertThrows(java.io.IOException.class, () -> ClusterState.read(file));
    }

    @Test
    void aDeadOrForeignPidIsNeverOurs() {
        long self = ProcessHandle.current().pid();
        assertFalse(LocalCluster.isOurs(new ClusterState.NodeProcess(1, self, "/no/such/node.properties")));
        assertFalse(LocalCluster.isOurs(new ClusterState.NodeProcess(1, Long.MAX_VALUE, "/x")));
    }

    @Test
    void readyIsALineOfItsOwnAfterTheStartOffset() throws Exception {
        Path log = dir.resolve("node.log");
        Files.writeString(log, "old run\nready\n", StandardCharsets.UTF_8);
        long offset = Files.size(log);
        assertTrue(LocalCluster.logHasReadyLine(log, 0));
        assertFalse(LocalCluster.logHasReadyLine(log, offset), "a previous run's ready does not count");
        Files.writeString(log, "listening on 127.0.0.1:9092, not ready yet\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertFalse(LocalCluster.logHasReadyLine(log, offset));
        Files.writeString(log, "ready\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        assertTrue(LocalCluster.logHasReadyLine(log, offset));
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhy() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LocalCluster cluster = new LocalCluster(dir, new ManualClock(0), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, cluster.run(List.of("start", "--nodes", "ten")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--nodes takes a number"), err.toString());
        assertEquals(2, cluster.run(List.of("start", "--bogus", "1")));
        assertEquals(2, cluster.run(List.of("restart")));
        assertEquals(2, cluster.run(List.of()));
    }

    @Test
    void helpAfterASubcommandPrintsTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalCluster cluster = new LocalCluster(dir, new ManualClock(0), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, cluster.run(List.of("start", "--help")));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: sluice cluster start"), out.toString());
        assertEquals(0, cluster.run(List.of("stop", "--dir", dir.toString(), "-h")));
    }

    @Test
    void stopWithoutAClusterSaysSo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalCluster cluster = new LocalCluster(dir, new ManualClock(0), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, cluster.run(List.of("stop", "--dir", dir.toString())));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("no cluster recorded"), out.toString());
        assertEquals(1, cluster.run(List.of("status", "--dir", dir.toString())));
    }
}
