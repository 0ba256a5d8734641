package io.sluice.jepsen.runner;

import io.sluice.common.SystemClock;
import io.sluice.jepsen.cluster.NodeCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * {@code bin/sluice chaos ...}: parses the options, finds the workloads on the class path
 * ({@link ServiceLoader} of {@link WorkloadProvider}), runs, and exits with the runner's code
 * (0 no anomaly, 1 anomalies or problems, 2 bad usage or set-up failure). The report's path is the
 * last line printed.
 */
public final class ChaosMain {
    private ChaosMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(ChaosOptions.USAGE);
            printWorkloads(out);
            return 0;
        }
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("sluice chaos: " + e.getMessage());
            err.print(ChaosOptions.USAGE);
            return ChaosRunner.SETUP_FAILED;
        }
        Path home = Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath().normalize();
        ChaosRunner runner = new ChaosRunner(new ChaosRunner.Environment(home, NodeCommand.sluiceServer(home),
                providers(), SystemClock.INSTANCE, out, err));
        return runner.run(options).exitCode();
    }

    private static List<WorkloadProvider> providers() {
        List<WorkloadProvider> providers = new ArrayList<>();
        ServiceLoader.load(WorkloadProvider.class).forEach(providers::add);
        return providers;
    }

    private static void printWorkloads(PrintStream out) {
        List<WorkloadProvider> providers = providers();
        out.println("Workloads: " + (providers.isEmpty() ? "none yet (the queue workload arrives with the Java SDK)"
                : ""));
        providers.forEach(p -> out.println("  " + p.name() + "  " + p.description()));
    }
}
