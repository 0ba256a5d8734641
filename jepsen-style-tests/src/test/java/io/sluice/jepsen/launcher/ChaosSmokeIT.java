package io.sluice.jepsen.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jepsen.runner.WorkloadProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run of {@code ./mvnw verify} (issue 7): the real {@code bin/sluice chaos} on 3
 * real nodes with the queue workload, kill and pause faults and, where the machine allows network
 * namespaces (root), partitions, for 40 s of faults; any anomaly or problem (exit code other than
 * 0) fails the build, and so does a run whose workload did nothing or skipped its final reads.
 * The run folder is kept under {@code target/} and named in the failure message with the replay
 * command. Seeded; replay with {@code -Dsluice.seed=N}.
 */
class ChaosSmokeIT {
    private static final Path HOME = Path.of(System.getProperty("sluice.home", "../")).toAbsolutePath().normalize();
    private static final long SEED = Long.getLong("sluice.seed", new Random().nextLong() & Long.MAX_VALUE);

    @Test
    void aShortChaosRunFindsNoAnomaly() throws Exception {
        assertTrue(ServiceLoader.load(WorkloadProvider.class).stream().anyMatch(p -> p.get().name().equals("queue")),
                "the queue workload must be registered with sluice chaos");
        Path out = HOME.resolve("jepsen-style-tests/target/chaos-smoke-seed" + SEED);
        Path console = Files.createTempFile("chaos-smoke", ".txt");
        System.out.println("chaos smoke run: seed " + SEED + ", run folder " + out);
        Process run = new ProcessBuilder(HOME.resolve("bin/sluice").toString(), "chaos", "--nodes", "3",
                "--time-limit", "40", "--interval", "8", "--recovery", "5", "--faults", "kill,pause,partition",
                "--workload", "queue", "--seed", Long.toString(SEED), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(console.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!run.waitFor(15, TimeUnit.MINUTES)) {
                run.destroy();
                run.waitFor(2, TimeUnit.MINUTES);
            }
            List<String> lines = Files.readAllLines(console, StandardCharsets.UTF_8);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            String context = " (seed " + SEED + ", run folder " + out + "; replay with -Dsluice.seed=" + SEED + "):\n"
                    + tail;
            assertEquals(0, run.isAlive() ? -1 : run.exitValue(), "the short chaos run failed" + context);
            JsonNode summary = new ObjectMapper().readTree(out.resolve("result.json").toFile()).path("summary");
            System.out.println("chaos smoke run summary: " + summary);
            long sends = summary.path("sendsOk").asLong() + summary.path("sendsFailed").asLong()
                    + summary.path("sendsUnknown").asLong();
            assertTrue(sends > 0, "the workload sent nothing" + context);
            assertTrue(summary.path("finalPolls").asInt() > 0, "the final reads did not happen" + context);
        } finally {
            run.destroyForcibly();
            Files.deleteIfExists(console);
        }
    }
}
