package io.sluice.jepsen.runner;

import io.sluice.jepsen.fault.LeaderLocator;

/**
 * The clients of a chaos run. They operate on the cluster while the nemesis injects faults and
 * record every invocation and completion through {@link WorkloadContext#history()} (process
 * numbers from 0; a process has at most one operation outstanding; {@code docs/chaos.md} fixes
 * the format and the queue workload's values, which {@link io.sluice.jepsen.history.QueueOps}
 * builds).
 *
 * <p>Life cycle, driven by the runner from one thread: {@link #start} → (the fault phase runs)
 * → {@link #stop} → (every fault healed, every node ready, the recovery wait) →
 * {@link #finalReads} → {@link #close}. {@code close} is called even when an earlier step threw.
 * {@link #leaderLocator()} is called from the nemesis's thread after {@code start} returned.
 */
public interface Workload extends AutoCloseable {
    /**
     * Prepares (creates topics, waits until the cluster serves them) and starts the clients'
     * threads against {@link WorkloadContext#bootstrapServers()}; returns once they run. The fault
     * schedule starts when this returns.
     */
    void start(WorkloadContext context) throws Exception;

    /**
     * Stops issuing operations and waits up to {@code timeoutMs} for the outstanding ones. An
     * operation still outstanding afterwards is left without completion (the checker counts it
     * as unknown) or completed as {@code info}.
     */
    void stop(long timeoutMs) throws Exception;

    /**
     * After the faults are healed and the cluster has recovered: fresh consumers (new process
     * numbers) read every partition from the beginning to its end, recording polls with
     * {@code "final": true}. Returns when done, or after {@code timeoutMs}.
     *
     * @return whether every partition was read to its end; false makes the run invalid, since the
     *         history cannot then show that every acknowledged write is still readable
     */
    boolean finalReads(long timeoutMs) throws Exception;

    /** Who leads now, for faults that target leaders; the default never knows. */
    default LeaderLocator leaderLocator() {
        return LeaderLocator.unknown();
    }

    /** Releases every client and thread; idempotent. */
    @Override
    void close();
}
