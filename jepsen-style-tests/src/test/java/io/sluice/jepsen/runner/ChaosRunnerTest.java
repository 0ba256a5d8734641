package io.sluice.jepsen.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.common.SystemClock;
import io.sluice.jepsen.history.HistoryLog;
import io.sluice.jepsen.history.NemesisOps;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.net.NamespaceNetwork;
import io.sluice.jepsen.testing.EchoQueueWorkload;
import io.sluice.jepsen.testing.StandIns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole chaos runs against stand-in nodes, with a workload of echo round trips recorded as a queue
 * history: set-up, schedule, faults, healing, final reads, checker, run folder and exit code. On
 * namespaces when root, on loopback otherwise. Seeded; replay with {@code -Dsluice.seed=N}.
 */
class ChaosRunnerTest {
    private static final long SEED = Long.getLong("sluice.seed", new Random().nextLong());
    private static final Path HOME = Path.of(System.getProperty("sluice.home", "../")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void printSeed() {
        System.out.println("ChaosRunnerTest seed " + SEED + " (replay with -Dsluice.seed=" + SEED + ")");
    }

    private ChaosRunner.Outcome run(List<WorkloadProvider> providers, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--seed", Long.toString(SEED), "--out", dir.resolve("run").toString()));
        ChaosRunner runner = new ChaosRunner(new ChaosRunner.Environment(HOME, StandIns.command(dir), providers,
                SystemClock.INSTANCE, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        return runner.run(ChaosOptions.parse(all));
    }

    private String console() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCleanRunWritesItsFolderAndExitsZero() throws Exception {
        ChaosRunner.Outcome outcome = run(List.of(EchoQueueWorkload.provider(false)), "--nodes", "3",
                "--time-limit", "6", "--interval", "1", "--recovery", "0.5", "--faults",
                "kill,pause,partition,clock,truncate,membership");
        assertEquals(ChaosRunner.VALID, outcome.exitCode(), console());
        Path run = outcome.runDir();
        for (String file : List.of("history.jsonl", "result.json", "report.html", "schedule.json", "command.txt",
                "harness.log", "n1/node.log", "n3/node.properties")) {
            assertTrue(Files.exists(run.resolve(file)), file);
        }
        JsonNode result = new ObjectMapper().readTree(run.resolve("result.json").toFile());
        assertTrue(result.path("valid").asBoolean() && result.path("run").path("valid").asBoolean(), console());
        assertEquals(SEED, result.path("run").path("seed").asLong());
        assertTrue(result.path("summary").path("sendsOk").asLong() > 0);
        assertTrue(result.path("summary").path("finalPolls").asInt() > 0);

        List<Op> nemesis = HistoryLog.read(run.resolve("history.jsonl")).stream().filter(NemesisOps::isNemesis)
                .toList();
        assertTrue(nemesis.stream().anyMatch(op -> op.value().path("action").asText().equals(NemesisOps.START)
                || op.value().path("action").asText().equals(NemesisOps.SKIP)), "faults ran: " + nemesis);
        assertEquals("all", nemesis.get(nemesis.size() - 1).value().path("fault").asText(), "the final heal");
        assertFalse(Files.exists(run.resolve("n1/data")), "a valid run's data is deleted");
        java.util.regex.Matcher prefix = java.util.regex.Pattern.compile("slc[0-9a-z]{4}")
                .matcher(result.path("run").path("network").asText());
        if (prefix.find()) {
            assertEquals(List.of(), NamespaceNetwork.objectsWithPrefix(prefix.group()), "the network is gone");
        }

        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals("report: " + outcome.report(), lines[lines.length - 1], "the report's path comes last");
        String report = Files.readString(outcome.report(), StandardCharsets.UTF_8);
        assertTrue(report.contains("seed " + SEED) && report.contains("<svg"));
        assertTrue(Files.readString(run.resolve("command.txt")).contains("--seed " + SEED));
    }

    @Test
    void anomaliesFailTheRunAndKeepTheEvidence() throws Exception {
        ChaosRunner.Outcome outcome = run(List.of(EchoQueueWorkload.provider(true)), "--nodes", "1",
                "--time-limit", "2", "--interval", "1", "--recovery", "0", "--faults", "pause", "--network",
                "loopback");
        assertEquals(ChaosRunner.INVALID, outcome.exitCode(), console());
        JsonNode result = new ObjectMapper().readTree(outcome.runDir().resolve("result.json").toFile());
        assertFalse(result.path("valid").asBoolean());
        assertTrue(result.path("found").toString().contains("lost-write"), result.toString());
        assertTrue(Files.exists(outcome.runDir().resolve("n1/data")), "evidence is kept");
        assertTrue(Files.readString(outcome.report(), StandardCharsets.UTF_8).contains("lost-write"));
        assertTrue(console().contains("verdict: INVALID"), console());
    }

    @Test
    void finalReadsThatCannotReachTheEndMakeTheRunInvalidWithoutAnAnomaly() throws Exception {
        ChaosRunner.Outcome outcome = run(List.of(EchoQueueWorkload.provider(false, true)), "--nodes", "1",
                "--time-limit", "2", "--interval", "1", "--recovery", "0", "--faults", "pause", "--network",
                "loopback");
        assertEquals(ChaosRunner.INVALID, outcome.exitCode(), console());
        JsonNode result = new ObjectMapper().readTree(outcome.runDir().resolve("result.json").toFile());
        assertTrue(result.path("valid").asBoolean(), "the history itself holds no anomaly: " + result);
        assertFalse(result.path("run").path("valid").asBoolean());
        assertTrue(result.path("run").path("problems").toString().contains("final reads did not reach the end"),
                result.toString());
        assertTrue(console().contains("verdict: INVALID"), console());
    }

    @Test
    void withoutAWorkloadNothingRuns() throws Exception {
        ChaosRunner.Outcome outcome = run(List.of(), "--nodes", "3");
        assertEquals(ChaosRunner.SETUP_FAILED, outcome.exitCode());
        assertNull(outcome.runDir());
        assertTrue(console().contains("no workload is available"), console());
        assertFalse(Files.exists(dir.resolve("run")));
    }
}
