package io.sluice.jepsen.runner;

import io.sluice.common.Clock;
import io.sluice.jepsen.history.HistoryRecorder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a workload gets from the runner.
 *
 * @param bootstrapServers every node's client address ({@code host:port}), node 1 first
 * @param history          where every operation is recorded (thread-safe)
 * @param seed             the run's seed, for the workload's own random choices
 * @param clock            the run's clock
 * @param runDir           the run folder (a workload may leave files of its own there)
 * @param options          {@code --workload-option key=value} pairs, for the workload to read
 * @param log              progress lines for the console and {@code harness.log}
 */
public record WorkloadContext(List<String> bootstrapServers, HistoryRecorder history, long seed, Clock clock,
        Path runDir, Map<String, String> options, Consumer<String> log) {
    public WorkloadContext {
        bootstrapServers = List.copyOf(bootstrapServers);
        options = Map.copyOf(options);
    }
}
