package io.sluice.jepsen.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.common.SystemClock;
import io.sluice.jepsen.cluster.ClusterLauncher;
import io.sluice.jepsen.cluster.ClusterNode;
import io.sluice.jepsen.cluster.ClusterSpec;
import io.sluice.jepsen.fault.Partitions;
import io.sluice.jepsen.os.Commands;
import io.sluice.jepsen.testing.StandIns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Network faults between real network namespaces, observed by stand-in nodes inside them: TCP
 * connections for two-way reachability, UDP datagrams for one-way cuts. Needs root and
 * {@code ip netns}; skipped otherwise. Runs the nft filter when nft is installed, and the
 * blackhole-route filter always.
 */
class NamespaceNetworkTest {
    private static final int TIMEOUT_MS = 5_000;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireNamespaces() {
        Optional<String> unsupported = NamespaceNetwork.unsupportedReason();
        assumeTrue(unsupported.isEmpty(), () -> "network namespace tests skipped: " + unsupported.orElse(""));
    }

    static Stream<Boolean> filters() {
        return Commands.find("nft").isPresent() ? Stream.of(true, false) : Stream.of(false);
    }

    /** A network and stand-in nodes in it, torn down in order. */
    private final class Fixture implements AutoCloseable {
        final NamespaceNetwork network;
        final ClusterLauncher cluster;

        Fixture(int nodes, boolean nft) throws Exception {
            network = NamespaceNetwork.create(nodes, line -> { }, nft);
            try {
                cluster = ClusterLauncher.create(new ClusterSpec(nodes, dir, StandIns.command(dir), Map.of(),
                        60_000, 10_000), network, SystemClock.INSTANCE, line -> { });
                cluster.startAll();
            } catch (Exception e) {
                network.close();
                throw e;
            }
        }

        ClusterNode node(int id) {
            return cluster.node(id);
        }

        /** Whether node {@code from} can open a TCP connection to node {@code to}. */
        boolean reaches(int from, int to) throws IOException {
            return StandIns.ask(node(from), "connect " + node(to).clientAddress(), TIMEOUT_MS).equals("ok");
        }

        /** Sends a datagram; a blackhole route refuses it at the sender ("fail Invalid argument"). */
        String datagram(int from, int to, String token) throws IOException {
            return StandIns.ask(node(from), "udp " + node(to).clientAddress() + " " + token, TIMEOUT_MS);
        }

        boolean saw(int node, String token) throws IOException {
            return List.of(StandIns.ask(node(node), "seen", TIMEOUT_MS).split(",")).contains(token);
        }

        boolean awaitSeen(int node, String token) throws Exception {
            for (int i = 0; i < 30; i++) {
                if (saw(node, token)) {
                    return true;
                }
                Thread.sleep(100);
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            try {
                cluster.close();
            } finally {
                network.close();
            }
        }
    }

    /** One network per filter (setting one up costs seconds on a busy machine), every fault in turn. */
    @ParameterizedTest(name = "nft {0}")
    @MethodSource("filters")
    void networkFaultsBetweenNamespacesAndTheirHeals(boolean nft) throws Exception {
        try (Fixture f = new Fixture(3, nft)) {
            assertTrue(f.network.description().contains(nft ? "nftables" : "blackhole routes"),
                    f.network.description());
            partitionsCutBothWaysAndHeal(f);
            oneWayCutsDropOneDirectionOnly(f);
            if (nft) {
                lossDropsArrivingPacketsAtRandomAndHeals(f);
            } else {
                assertTrue(f.network.unavailable(NetFault.LOSS).orElseThrow().contains("nft"));
                assertThrows(IOException.class, () -> f.network.loss(List.of(1), 10));
            }
            delayIsUsedWhereTheKernelHasNetemAndExplainedWhereNot(f);
        }
    }

    private static void partitionsCutBothWaysAndHeal(Fixture f) throws Exception {
        assertTrue(f.reaches(1, 2) && f.reaches(2, 3));
        f.network.cut(Partitions.isolate(1, List.of(1, 2, 3)));
        assertFalse(f.reaches(1, 2));
        assertFalse(f.reaches(3, 1));
        assertTrue(f.reaches(2, 3), "the rest still talk");
        assertEquals("client", StandIns.ask(f.node(1), "echo client", TIMEOUT_MS), "clients reach every node");
        f.network.healCuts();
        f.network.healCuts();
        assertTrue(f.reaches(1, 2) && f.reaches(3, 1));
    }

    private static void oneWayCutsDropOneDirectionOnly(Fixture f) throws Exception {
        f.network.cut(List.of(new Cut(1, 2)));
        f.datagram(1, 2, "forward");
        assertEquals("sent", f.datagram(2, 1, "backward"));
        assertTrue(f.awaitSeen(1, "backward"), "2 still reaches 1");
        Thread.sleep(300);
        assertFalse(f.saw(2, "forward"), "1 no longer reaches 2");
        f.network.healCuts();
        assertEquals("sent", f.datagram(1, 2, "healed"));
        assertTrue(f.awaitSeen(2, "healed"));
    }

    private static void lossDropsArrivingPacketsAtRandomAndHeals(Fixture f) throws Exception {
        assertEquals(Optional.empty(), f.network.unavailable(NetFault.LOSS));
        f.network.loss(List.of(3), 50);
        for (int i = 0; i < 200; i++) {
            assertEquals("sent", f.datagram(1, 3, "d" + i));
        }
        f.network.healLoss();
        long seen = List.of(StandIns.ask(f.node(3), "seen", TIMEOUT_MS).split(",")).stream()
                .filter(t -> t.startsWith("d")).count();
        // binomial(200, 0.5): 40..160 is more than eight standard deviations wide
        assertTrue(seen > 40 && seen < 160, "received " + seen + " of 200");
        f.network.loss(List.of(3), 100);
        assertFalse(f.reaches(1, 3));
        f.network.healLoss();
        f.network.healLoss();
        assertTrue(f.reaches(1, 3));
    }

    private static void delayIsUsedWhereTheKernelHasNetemAndExplainedWhereNot(Fixture f) throws Exception {
        Optional<String> unavailable = f.network.unavailable(NetFault.DELAY);
        if (unavailable.isPresent()) {
            assertTrue(unavailable.get().contains("netem"), unavailable.get());
            assertThrows(IOException.class, () -> f.network.delay(List.of(1), 100, 10));
        } else {
            f.network.delay(List.of(1), 100, 10);
            assertEquals("slow", StandIns.ask(f.node(1), "echo slow", TIMEOUT_MS));
            f.network.healDelay();
        }
        f.network.healDelay();
    }

    @Test
    void closingRemovesEverythingEvenWhenARunFailsHalfWay() throws Exception {
        NamespaceNetwork network = NamespaceNetwork.create(2, line -> { });
        NamespaceNetwork other = NamespaceNetwork.create(1, line -> { });
        String prefix = network.prefix();
        long pid = -1;
        try {
            assertNotEquals(prefix, other.prefix(), "concurrent runs get their own names");
            assertNotEquals(network.hostAddress(), other.hostAddress(), "and their own subnets");
            ClusterLauncher cluster = ClusterLauncher.create(new ClusterSpec(2, dir, StandIns.command(dir),
                    Map.of(), 60_000, 10_000), network, SystemClock.INSTANCE, line -> { });
            cluster.startAll();
            pid = cluster.pid(1).orElseThrow();
            network.cut(Partitions.isolate(1, List.of(1, 2)));
            throw new IllegalStateException("a run failing half-way, its cluster never closed");
        } catch (IllegalStateException expected) {
            // the point of this test
        } finally {
            network.close();
            other.close();
        }
        assertEquals(List.of(), NamespaceNetwork.objectsWithPrefix(prefix));
        assertEquals(List.of(), NamespaceNetwork.objectsWithPrefix(other.prefix()));
        long node = pid;
        assertFalse(ProcessHandle.of(node).map(ProcessHandle::isAlive).orElse(false), "nodes inside are killed");
    }

    @Test
    void theNextRunRemovesWhatAKilledRunLeft() throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", classes(NamespaceNetwork.class) + ":" + classes(io.sluice.jepsen.testing.NetworkHolder.class),
                io.sluice.jepsen.testing.NetworkHolder.class.getName()));
        Process holder = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String prefix = value(out.readLine(), "prefix=");
            long sleeper = Long.parseLong(value(out.readLine(), "pid="));
            holder.destroyForcibly().waitFor();
            assertFalse(NamespaceNetwork.objectsWithPrefix(prefix).isEmpty(), "a SIGKILLed harness cleans nothing");

            List<String> removed = new ArrayList<>();
            NamespaceNetwork.removeStale(removed::add);
            assertEquals(List.of(), NamespaceNetwork.objectsWithPrefix(prefix));
            assertTrue(removed.stream().anyMatch(line -> line.contains(prefix)), removed.toString());
            ProcessHandle.of(sleeper).ifPresent(h -> h.onExit().join());
        } finally {
            holder.destroyForcibly();
        }
    }

    private static String value(String line, String key) {
        assertTrue(line != null && line.startsWith(key), "the holder printed: " + line);
        return line.substring(key.length());
    }

    private static String classes(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
