package io.sluice.jepsen.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.common.SystemClock;
import io.sluice.jepsen.checker.CheckResult;
import io.sluice.jepsen.checker.Checker;
import io.sluice.jepsen.cluster.ClusterLauncher;
import io.sluice.jepsen.cluster.ClusterSpec;
import io.sluice.jepsen.history.HistoryLog;
import io.sluice.jepsen.history.HistoryRecorder;
import io.sluice.jepsen.history.NemesisOps;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.net.LoopbackNetwork;
import io.sluice.jepsen.os.Processes;
import io.sluice.jepsen.testing.Locators;
import io.sluice.jepsen.testing.StandIns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nemesis against stand-in nodes on loopback: process, clock and storage faults change what
 * they should, heals undo them and are idempotent, every step is recorded, network faults are
 * skipped with their reason, and the history stays checkable.
 */
class NemesisTest {
    @TempDir
    Path dir;

    private ClusterLauncher cluster;
    private HistoryRecorder history;
    private Path historyFile;
    private final List<String> log = new ArrayList<>();

    /** Lays the cluster out; tests that need running nodes start them (starting JVMs is slow). */
    @BeforeEach
    void layOut() throws Exception {
        cluster = ClusterLauncher.create(new ClusterSpec(2, dir, StandIns.command(dir), Map.of(), 60_000, 10_000),
                new LoopbackNetwork("test"), SystemClock.INSTANCE, line -> { });
        historyFile = dir.resolve("history.jsonl");
        history = new HistoryRecorder(HistoryLog.create(historyFile), SystemClock.INSTANCE);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        history.close();
    }

    private Nemesis nemesis(LeaderLocator leaders) {
        return new Nemesis(new FaultContext(cluster, new LoopbackNetwork("test"), leaders, log::add), history);
    }

    private static PlannedFault fault(int id, FaultKind kind, String target, List<Integer> nodes, long amount) {
        return new PlannedFault(id, kind, 0, 1_000, target, nodes, List.of(), amount, 99);
    }

    private List<Op> entries() throws Exception {
        return HistoryLog.read(historyFile);
    }

    @Test
    void killAndPauseChangeTheProcessAndHealsUndoThem() throws Exception {
        cluster.startAll();
        Nemesis nemesis = nemesis(LeaderLocator.unknown());
        long pid = cluster.pid(1).orElseThrow();
        nemesis.start(fault(1, FaultKind.KILL, Target.ONE, List.of(1), 0));
        assertFalse(cluster.isRunning(1));
        nemesis.heal(1);
        nemesis.heal(1);
        cluster.awaitReady(List.of(1), 60_000);
        assertNotEquals(pid, cluster.pid(1).orElseThrow());

        long paused = cluster.pid(2).orElseThrow();
        nemesis.start(fault(2, FaultKind.PAUSE, Target.ONE, List.of(2), 0));
        assertTrue(Processes.isStopped(paused));
        nemesis.heal(2);
        assertFalse(Processes.isStopped(paused));
        assertEquals("up", StandIns.ask(cluster.node(2), "echo up", 5_000));

        List<Op> entries = entries();
        assertEquals(List.of("1 start", "1 heal", "2 start", "2 heal"), entries.stream()
                .map(op -> op.value().path("id").asInt() + " " + op.value().path("action").asText()).toList());
        for (Op op : entries) {
            assertEquals(NemesisOps.NEMESIS, op.f());
            assertEquals(OpType.INFO, op.type());
            assertEquals(NemesisOps.PROCESS, op.process());
            assertNull(op.error());
        }
        assertEquals(pid, entries.get(0).value().path("detail").path("pids").path("1").asLong());
        assertTrue(nemesis.problems().isEmpty(), nemesis.problems().toString());
        CheckResult result = Checker.check(entries);
        assertTrue(result.valid());
        assertEquals(4, result.summary().entries());
        assertEquals(0, result.summary().sendsOk());
    }

    @Test
    void clockStorageAndMembershipFaults() throws Exception {
        cluster.startAll();
        // every node has another in-sync copy
        AtomicReference<List<Set<Integer>>> inSync = new AtomicReference<>(List.of(Set.of(1, 2), Set.of(2, 1)));
        Nemesis nemesis = nemesis(Locators.inSync(inSync::get));
        nemesis.start(fault(1, FaultKind.CLOCK, Target.ALL, List.of(1, 2), -7_000));
        assertEquals("-7000", StandIns.ask(cluster.node(2), "clock", 5_000));
        nemesis.heal(1);
        assertEquals("0", StandIns.ask(cluster.node(2), "clock", 5_000));

        Path segment = cluster.node(1).dataDir().resolve("queue-0").resolve("00000000000000000000.log");
        long size = Files.size(segment);
        nemesis.start(fault(2, FaultKind.TRUNCATE, Target.ONE, List.of(1), 0));
        assertFalse(cluster.isRunning(1), "storage faults act on a stopped node");
        assertTrue(Files.size(segment) < size);
        nemesis.heal(2);
        cluster.awaitReady(List.of(1), 60_000);

        // Node 1 was damaged: the cluster dropped it, and another copy is in sync with node 2.
        inSync.set(List.of(Set.of(2, 3)));
        Path data2 = cluster.node(2).dataDir();
        Path raftLog = Files.createDirectories(data2.resolve("metadata/group")).resolve("log_inprogress_0");
        Files.writeString(raftLog, "term and vote");
        Files.writeString(Files.createDirectories(data2.resolve("logs/queue-1")).resolve("00000000000000000000.log"),
                "records");
        Files.writeString(data2.resolve("replica-state"), "epochs");
        nemesis.start(fault(3, FaultKind.MEMBERSHIP, Target.ONE, List.of(2), 0));
        assertFalse(Files.exists(data2.resolve("logs")), "the replicas are wiped");
        assertFalse(Files.exists(data2.resolve("replica-state")), "the replica state is wiped");
        assertEquals("term and vote", Files.readString(raftLog), "the Raft metadata is never wiped");
        nemesis.heal(3);
        cluster.awaitReady(List.of(2), 60_000);

        List<Op> entries = entries();
        JsonNode damage = entries.get(2).value().path("detail").path("damage").path("1").get(0);
        assertEquals("queue-0/00000000000000000000.log", damage.path("file").asText());
        assertEquals(Files.size(segment), damage.path("sizeAfter").asLong());
        assertEquals("[\"logs\",\"replica-state\"]",
                entries.get(4).value().path("detail").path("wiped").path("2").toString());
        assertEquals(Map.of(), cluster.unexpectedExits());
    }

    @Test
    void theLastInSyncCopyOfAPartitionIsNotDamaged() throws Exception {
        cluster.startAll();
        Nemesis nemesis = nemesis(Locators.inSync(List.of(Set.of(1, 2), Set.of(1))));
        Path segment = cluster.node(1).dataDir().resolve("queue-0").resolve("00000000000000000000.log");
        long size = Files.size(segment);
        Path bootId = Files.createDirectories(cluster.node(1).dataDir().resolve("logs")).resolve("boot-id");
        Files.writeString(bootId, "this boot\n");
        nemesis.start(fault(1, FaultKind.TRUNCATE, Target.ONE, List.of(1), 0));
        assertFalse(cluster.isRunning(1), "a spared node is still killed");
        assertEquals(size, Files.size(segment), "but its log is left alone");
        assertEquals("this boot\n", Files.readString(bootId), "and it gets no machine restart");
        nemesis.heal(1);
        cluster.awaitReady(List.of(1), 60_000);

        Path replica = Files.createDirectories(cluster.node(2).dataDir().resolve("logs/queue-1"));
        nemesis(LeaderLocator.unknown()).start(fault(2, FaultKind.MEMBERSHIP, Target.ONE, List.of(2), 0));
        assertTrue(Files.exists(replica), "unknown in-sync replicas spare every node");

        List<Op> entries = entries();
        assertEquals("[1]", entries.get(0).value().path("detail").path("spared").toString());
        assertEquals("[[1,2],[1]]", entries.get(0).value().path("detail").path("inSync").toString());
        assertEquals("[2]", entries.get(2).value().path("detail").path("spared").toString());
        assertEquals("no answer", entries.get(2).value().path("detail").path("inSyncUnknown").asText());
    }

    @Test
    void networkFaultsAreSkippedWithTheReasonOnLoopback() throws Exception {
        Nemesis nemesis = nemesis(LeaderLocator.unknown());
        assertTrue(nemesis.unavailable(FaultKind.PARTITION).isPresent());
        PlannedFault partition = new PlannedFault(1, FaultKind.PARTITION, 0, 1_000, PartitionShape.ISOLATE_ONE,
                List.of(1), List.copyOf(Partitions.isolate(1, List.of(1, 2))), 0, 1);
        nemesis.start(partition);
        nemesis.heal(1);
        List<Op> entries = entries();
        assertEquals(1, entries.size(), "a skipped fault has nothing to heal");
        assertEquals(NemesisOps.SKIP, entries.get(0).value().path("action").asText());
        assertTrue(entries.get(0).error().contains("loopback"), entries.get(0).error());
    }

    @Test
    void leadersComeFromTheLocatorOrARandomStandIn() throws Exception {
        nemesis(() -> Set.of(2, 7)).start(fault(1, FaultKind.CLOCK, Target.LEADERS, List.of(), 1_000));
        assertEquals(1_000, cluster.clockOffset(2));
        assertEquals(0, cluster.clockOffset(1));

        nemesis(() -> {
            throw new IllegalStateException("no metadata yet");
        }).start(fault(2, FaultKind.CLOCK, Target.LEADERS, List.of(), 2_000));
        List<Op> entries = entries();
        assertEquals("[2]", entries.get(0).value().path("nodes").toString());
        JsonNode unknown = entries.get(1).value();
        assertTrue(unknown.path("leadersUnknown").asText().contains("no metadata yet"), unknown.toString());
        int standIn = unknown.path("nodes").get(0).asInt();
        assertEquals(2_000, cluster.clockOffset(standIn));
    }

    @Test
    void healingEverythingResetsTheClusterAndSaysSo() throws Exception {
        cluster.startAll();
        Nemesis nemesis = nemesis(LeaderLocator.unknown());
        nemesis.start(fault(1, FaultKind.KILL, Target.ALL, List.of(1, 2), 0));
        nemesis.start(fault(2, FaultKind.CLOCK, Target.ONE, List.of(1), 3_000));
        assertEquals(List.of(1, 2), nemesis.active());
        nemesis.healAll();
        cluster.awaitReady(List.of(1, 2), 60_000);
        assertEquals(List.of(), nemesis.active());
        assertEquals(0, cluster.clockOffset(1));
        List<Op> entries = entries();
        Op last = entries.get(entries.size() - 1);
        assertEquals("all", last.value().path("fault").asText());
        assertEquals(List.of("2 heal", "1 heal"), entries.subList(2, 4).stream()
                .map(op -> op.value().path("id").asInt() + " " + op.value().path("action").asText()).toList(),
                "latest first");
    }
}
