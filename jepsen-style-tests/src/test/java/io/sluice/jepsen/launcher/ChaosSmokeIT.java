package io.sluice.jepsen.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jepsen.history.TopicPartition;
import io.sluice.jepsen.runner.WorkloadProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run of {@code ./mvnw verify} (issue 7): the real {@code bin/sluice chaos} on 3
 * real nodes with the queue workload, kill and pause faults and, where the machine allows network
 * namespaces (root), partitions, for 40 s of faults, with the controller giving leadership back to
 * in-sync preferred replicas every 2 s instead of 300 s, so that those moves happen amid the faults
 * too; any anomaly or problem (exit code other than 0) fails the build, and so does a run whose
 * workload did nothing or skipped its final reads.
 * The run folder is kept under {@code target/} and named in the failure message with the replay
 * command, and, because CI keeps nothing of {@code target/}, the message also carries the
 * evidence: each anomaly's first examples, the history entries of their values and every line
 * the nodes logged about their partitions. Seeded; replay with {@code -Dsluice.seed=N}.
 */
class ChaosSmokeIT {
    private static final Path HOME = Path.of(System.getProperty("sluice.home", "../")).toAbsolutePath().normalize();
    private static final int EXAMPLES = 3;
    private static final int LINES_PER_FILE = 80;
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
                "--workload", "queue", "--seed", Long.toString(SEED), "--out", out.toString(),
                "--override", "leader.imbalance.check.interval.seconds=2")
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
            int exit = run.isAlive() ? -1 : run.exitValue();
            assertEquals(0, exit, () -> "the short chaos run failed" + context + evidence(out));
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

    /** What a failed run left that explains it, as text: empty when the run left no result. */
    private static String evidence(Path out) {
        StringBuilder text = new StringBuilder();
        try {
            Path result = out.resolve("result.json");
            if (!Files.exists(result)) {
                return "";
            }
            Set<String> values = new TreeSet<>();
            Set<String> partitions = new TreeSet<>();
            JsonNode anomalies = new ObjectMapper().readTree(result.toFile()).path("anomalies");
            anomalies.properties().forEach(kind -> {
                JsonNode examples = kind.getValue().path("examples");
                for (int i = 0; i < Math.min(EXAMPLES, examples.size()); i++) {
                    JsonNode example = examples.get(i);
                    text.append("\n").append(kind.getKey()).append(": ").append(example);
                    if (example.hasNonNull("value")) {
                        values.add(example.get("value").asText());
                    }
                    if (example.hasNonNull("partition")) {
                        partitions.add(example.get("partition").asText());
                    }
                }
            });
            text.append("\nhistory entries of ").append(values).append(':');
            Set<String> quoted = new TreeSet<>();
            values.forEach(value -> quoted.add("\"value\":\"" + value + "\""));
            appendMatching(text, out.resolve("history.jsonl"), quoted);
            for (String partition : partitions) {
                TopicPartition parsed = TopicPartition.parse(partition);
                // Node logs name a partition "<topic uuid>-<index> (<topic>)".
                Set<String> needle = Set.of("-" + parsed.partition() + " (" + parsed.topic() + ")");
                try (var nodes = Files.list(out)) {
                    List<Path> dirs = nodes.filter(d -> d.getFileName().toString().matches("n\\d+")).sorted().toList();
                    for (Path node : dirs) {
                        text.append("\n").append(node.getFileName()).append("/node.log on ").append(partition)
                                .append(':');
                        appendMatching(text, node.resolve("node.log"), needle);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            text.append("\n(evidence incomplete: ").append(e).append(')');
        }
        return text.toString();
    }

    private static void appendMatching(StringBuilder text, Path file, Set<String> needles) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> needles.stream().anyMatch(line::contains)).toList();
        lines.subList(Math.max(0, lines.size() - LINES_PER_FILE), lines.size())
                .forEach(line -> text.append("\n  ").append(line));
    }
}
