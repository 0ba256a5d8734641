package io.sluice.broker.server.dataplane.sim;

import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs the seeded cluster simulation ({@link SimCluster}) for many seeds: crashes, restarts,
 * network partitions, drops and delays, then healing; fails with the seed and every violated
 * property. Replay one seed with {@code -Dsluice.seed=N}; run more with {@code -Dsluice.sim.seeds=K}.
 */
class ReplicationSimulationTest {
    private static final int DEFAULT_SEEDS = 200;
    private static final boolean VERBOSE = Boolean.getBoolean("sluice.sim.verbose");
    private final Logger brokerLogger = (Logger) LoggerFactory.getLogger("io.sluice.broker");
    private Level previousLevel;

    /** Hundreds of seeds log thousands of leader changes: keep only warnings unless asked. */
    @BeforeEach
    void quiet() {
        previousLevel = brokerLogger.getLevel();
        if (!VERBOSE) {
            brokerLogger.setLevel(Level.WARN);
        }
    }

    @AfterEach
    void restore() {
        brokerLogger.setLevel(previousLevel);
    }

    @Test
    void acknowledgedRecordsSurviveCrashesAndPartitionsAndReplicasConverge() {
        Long fixed = Long.getLong("sluice.seed");
        long base = fixed != null ? fixed : System.nanoTime();
        int seeds = Integer.getInteger("sluice.sim.seeds", fixed != null ? 1 : DEFAULT_SEEDS);
        System.out.println("ReplicationSimulationTest seeds " + base + ".." + (base + seeds - 1)
                + " (replay one with -Dsluice.seed=N -Dsluice.sim.seeds=1)");
        long acknowledged = 0;
        for (int i = 0; i < seeds; i++) {
            long seed = base + i;
            long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            SimCluster cluster = new SimCluster(seed);
            List<String> violations = cluster.run(3_000, 30_000);
            long cpuMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                    - cpuBefore) / 1_000_000;
            if (!violations.isEmpty()) {
                fail("seed " + seed + " (replay with -Dsluice.seed=" + seed + " -Dsluice.sim.seeds=1) violated:\n  "
                        + String.join("\n  ", violations.subList(0, Math.min(20, violations.size())))
                        + "\n" + cluster.describe());
            }
            acknowledged += cluster.acknowledgedBatches();
            if (VERBOSE) {
                System.out.println("cpu=" + cpuMs + "ms " + cluster.describe());
            }
        }
        System.out.println("ReplicationSimulationTest: " + seeds + " seeds, " + acknowledged
                + " acknowledged batches, no violation");
    }
}
