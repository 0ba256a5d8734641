package io.sluice.client.perf.internal;

import io.sluice.common.Clock;

/**
 * Collects the outcome of every record a load generator sent: its latency from its intended send
 * time to the moment its outcome is known (read from the clock when the outcome is reported), its
 * bytes, or its failure. Keeps three latency histograms: the whole run, the steady state (records
 * after the warm-up), and the current reporting window.
 *
 * <p>Thread-safe: producers' I/O threads report outcomes while a reporter takes windows.
 */
public final class LatencyRecorder {
    private final Clock clock;
    private final LatencyHistogram all = new LatencyHistogram();
    private final LatencyHistogram steady = new LatencyHistogram();
    private final LatencyHistogram window = new LatencyHistogram();
    private long records;
    private long bytes;
    private long steadyRecords;
    private long steadyBytes;
    private long steadyStartNs = Long.MAX_VALUE;
    private long windowRecords;
    private long windowBytes;
    private long windowStartNs;
    private long failures;
    private Exception firstError;

    /** A recorder reading completion times from {@code clock}; its first window starts at {@code startNs}. */
    public LatencyRecorder(Clock clock, long startNs) {
        this.clock = clock;
        this.windowStartNs = startNs;
    }

    /**
     * One record's outcome, now. {@code steadyState} says whether it was sent after the warm-up.
     * A failed record counts as a failure and not in the latencies.
     */
    public synchronized void onCompletion(long intendedNs, boolean steadyState, int payloadBytes, Exception error) {
        if (error != null) {
            failures++;
            if (firstError == null) {
                firstError = error;
            }
            return;
        }
        long latencyNs = clock.monotonicNs() - intendedNs;
        all.record(latencyNs);
        window.record(latencyNs);
        records++;
        bytes += payloadBytes;
        windowRecords++;
        windowBytes += payloadBytes;
        if (steadyState) {
            steady.record(latencyNs);
            steadyRecords++;
            steadyBytes += payloadBytes;
        }
    }

    /** The steady state begins (the first record after the warm-up is about to be sent). */
    public synchronized void markSteadyStart(long nowNs) {
        steadyStartNs = Math.min(steadyStartNs, nowNs);
    }

    /** The window since the last call (or the start), ending now; starts a new one. */
    public synchronized Stats takeWindow() {
        long now = clock.monotonicNs();
        Stats stats = new Stats(windowRecords, windowBytes, now - windowStartNs, window.copy());
        window.reset();
        windowRecords = 0;
        windowBytes = 0;
        windowStartNs = now;
        return stats;
    }

    /** Everything acknowledged, over the span from {@code startNs} to {@code endNs}. */
    public synchronized Stats total(long startNs, long endNs) {
        return new Stats(records, bytes, endNs - startNs, all.copy());
    }

    /** The records sent after the warm-up, from the steady state's start to {@code endNs}. */
    public synchronized Stats steadyState(long endNs) {
        long start = steadyStartNs == Long.MAX_VALUE ? endNs : steadyStartNs;
        return new Stats(steadyRecords, steadyBytes, endNs - start, steady.copy());
    }

    /** Records that failed. */
    public synchronized long failures() {
        return failures;
    }

    /** The first failure, or null. */
    public synchronized Exception firstError() {
        return firstError;
    }
}
