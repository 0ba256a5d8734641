package io.sluice.jepsen.runner;

/**
 * Makes workloads; found with {@link java.util.ServiceLoader} (a line naming the class in
 * {@code META-INF/services/io.sluice.jepsen.runner.WorkloadProvider}). {@code sluice chaos}
 * uses the one named by {@code --workload}, or the only one there is.
 */
public interface WorkloadProvider {
    /** The {@code --workload} name, e.g. {@code queue}. */
    String name();

    /** One line for {@code sluice chaos --help}. */
    String description();

    /** A fresh workload for one run. */
    Workload create();
}
