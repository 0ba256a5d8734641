package io.sluice.jepsen.workload.internal;

import io.sluice.jepsen.history.HistoryRecorder;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import io.sluice.jepsen.workload.QueueSettings;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What every client process of the queue workload shares: the cluster's addresses, the settings,
 * the history, the run's seed, the flag that stops the processes, and the counter that makes every
 * sent value unique. Thread-safe.
 */
public final class WorkloadEnv {
    private final List<String> bootstrapServers;
    private final QueueSettings settings;
    private final HistoryRecorder history;
    private final long seed;
    private final Consumer<String> log;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong values = new AtomicLong();

    public WorkloadEnv(List<String> bootstrapServers, QueueSettings settings, HistoryRecorder history, long seed,
            Consumer<String> log) {
        this.bootstrapServers = List.copyOf(bootstrapServers);
        this.settings = settings;
        this.history = history;
        this.seed = seed;
        this.log = log;
    }

    /** Every node's client address, host:port. */
    public List<String> bootstrapServers() {
        return bootstrapServers;
    }

    /** The bootstrap servers, comma-separated, as clients take them. */
    public String bootstrap() {
        return String.join(",", bootstrapServers);
    }

    public QueueSettings settings() {
        return settings;
    }

    public HistoryRecorder history() {
        return history;
    }

    /** A random source of its own for {@code process}, derived from the run's seed. */
    public SplittableRandom randomFor(int process) {
        return new SplittableRandom(seed * 1_000_003L + process);
    }

    /** A new value, unique in the history. */
    public String nextValue() {
        return "v" + values.getAndIncrement();
    }

    /** Whether processes should go on issuing operations. */
    public boolean running() {
        return running.get();
    }

    /** Tells every process to stop after its current operation. */
    public void stopRunning() {
        running.set(false);
    }

    /** A progress line for the console and {@code harness.log}. */
    public void log(String line) {
        log.accept(line);
    }

    /** Records that {@code process}'s client was destroyed; a fresh one continues under the same number. */
    public void recordCrash(int process, String why) {
        history.record(process, OpType.INFO, QueueOps.CRASH, null, why);
    }

    /**
     * Sleeps about {@code meanMs} (uniform in [0, 2·mean]); false when interrupted or no longer
     * running.
     */
    public boolean pause(SplittableRandom random, long meanMs) {
        if (meanMs > 0) {
            try {
                Thread.sleep(random.nextLong(2 * meanMs + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running();
    }
}
