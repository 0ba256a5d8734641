package io.sluice.jepsen.history;

import io.sluice.common.Clock;
import java.io.Closeable;
import java.io.IOException;

/**
 * Stamps history entries with the run's time and appends them to a {@link HistoryLog}: the one
 * place where the workload's clients and the nemesis record what they do. Time 0 is the moment
 * the recorder was made; every entry's time is read under the log's lock, so times never go
 * backwards along the indices. Thread-safe.
 */
public final class HistoryRecorder implements Closeable {
    private final HistoryLog log;
    private final Clock clock;
    private final long originNs;

    /** A recorder whose time 0 is now. */
    public HistoryRecorder(HistoryLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
        this.originNs = clock.monotonicNs();
    }

    /** Nanoseconds since time 0 of the run. */
    public long nowNs() {
        return Math.max(0, clock.monotonicNs() - originNs);
    }

    /** Milliseconds since time 0 of the run. */
    public long nowMs() {
        return nowNs() / 1_000_000L;
    }

    /** Records an entry at the current time and returns it. */
    public Op record(int process, OpType type, String f, Object value, String error) {
        synchronized (log) {
            return log.append(nowNs(), process, type, f, value, error);
        }
    }

    /** Records an invocation. */
    public Op invoke(int process, String f, Object value) {
        return record(process, OpType.INVOKE, f, value, null);
    }

    /** Records a completion of the given type. */
    public Op complete(int process, OpType type, String f, Object value, String error) {
        if (type == OpType.INVOKE) {
            throw new IllegalArgumentException("a completion cannot be an invocation");
        }
        return record(process, type, f, value, error);
    }

    /** Records a nemesis entry (see {@link NemesisOps}). */
    public Op nemesis(Object value, String error) {
        return record(NemesisOps.PROCESS, OpType.INFO, NemesisOps.NEMESIS, value, error);
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
