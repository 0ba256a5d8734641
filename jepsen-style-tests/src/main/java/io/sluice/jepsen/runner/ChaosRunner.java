package io.sluice.jepsen.runner;

import io.sluice.common.Clock;
import io.sluice.jepsen.cluster.NodeCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs {@code sluice chaos}: picks the workload, makes the run folder, and hands over to a
 * {@link ChaosRun}. Refuses, before touching anything, when no workload is available: a chaos run
 * without clients would prove nothing. Not thread-safe; one run at a time.
 */
public final class ChaosRunner {
    /** The checker found no anomaly and the cluster recovered. */
    public static final int VALID = 0;
    /** Anomalies, or the cluster did not recover, or a fault step failed. */
    public static final int INVALID = 1;
    /** Bad usage, no workload, or the cluster or workload could not be set up. */
    public static final int SETUP_FAILED = 2;

    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Environment environment;

    /**
     * What a run needs from its surroundings.
     *
     * @param sluiceHome  the installation (for {@code bin/sluice}, and relative paths)
     * @param nodeCommand what starts a node
     * @param providers   the workloads available
     * @param clock       the clock
     * @param out         progress and the final lines
     * @param err         errors
     */
    public record Environment(Path sluiceHome, NodeCommand nodeCommand, List<WorkloadProvider> providers,
            Clock clock, PrintStream out, PrintStream err) {
        public Environment {
            providers = List.copyOf(providers);
        }
    }

    /**
     * How a run ended.
     *
     * @param exitCode {@link #VALID}, {@link #INVALID} or {@link #SETUP_FAILED}
     * @param runDir   the run folder, null if none was made
     * @param report   the HTML report, null if none was written
     */
    public record Outcome(int exitCode, Path runDir, Path report) {
    }

    public ChaosRunner(Environment environment) {
        this.environment = environment;
    }

    /** Runs the chaos test the options describe. */
    public Outcome run(ChaosOptions options) {
        Optional<WorkloadProvider> provider = chooseWorkload(options.workload());
        if (provider.isEmpty()) {
            return new Outcome(SETUP_FAILED, null, null);
        }
        Path dir = options.out() != null ? options.out()
                : Path.of("chaos-runs", FOLDER_TIME.format(Instant.ofEpochMilli(environment.clock().wallMs()))
                        + "-seed" + options.seed());
        dir = dir.toAbsolutePath().normalize();
        try {
            if (Files.exists(dir.resolve("history.jsonl"))) {
                environment.err().println("sluice chaos: " + dir + " already holds a run; choose another --out");
                return new Outcome(SETUP_FAILED, null, null);
            }
            Files.createDirectories(dir);
            try (RunLog log = new RunLog(dir.resolve("harness.log"), environment.clock(), environment.out())) {
                return new ChaosRun(options, provider.get(), environment, dir, log).execute();
            }
        } catch (IOException e) {
            environment.err().println("sluice chaos: cannot use run folder " + dir + ": " + e.getMessage());
            return new Outcome(SETUP_FAILED, dir, null);
        }
    }

    private Optional<WorkloadProvider> chooseWorkload(String name) {
        List<WorkloadProvider> providers = environment.providers();
        String names = providers.stream().map(WorkloadProvider::name).collect(Collectors.joining(", "));
        if (providers.isEmpty()) {
            environment.err().println("sluice chaos: no workload is available, so there is nothing to run: a chaos "
                    + "run needs clients that record a history. The queue workload registers itself in "
                    + "META-INF/services of jepsen-style-tests; a class path without it has none. See docs/chaos.md.");
            return Optional.empty();
        }
        if (name == null) {
            if (providers.size() == 1) {
                return Optional.of(providers.get(0));
            }
            environment.err().println("sluice chaos: several workloads are available (" + names
                    + "); choose one with --workload");
            return Optional.empty();
        }
        Optional<WorkloadProvider> chosen = providers.stream().filter(p -> p.name().equals(name)).findFirst();
        if (chosen.isEmpty()) {
            environment.err().println("sluice chaos: no workload named '" + name + "'; available: " + names);
        }
        return chosen;
    }
}
