package io.sluice.jepsen.cluster.internal;

import io.sluice.jepsen.cluster.ClusterNode;
import java.util.OptionalLong;

/**
 * What the launcher knows of one node: its current process (null before the first start), whether
 * the launcher paused it, whether it has printed {@code ready} since its last start, whether the
 * harness means it to be down, and where its last start's output begins in the log. Guarded by the
 * launcher's lock; the fields the shutdown hook reads are volatile.
 */
public final class NodeProcess {
    private final ClusterNode node;
    private volatile Process process;
    private volatile boolean paused;
    private boolean ready;
    private boolean meantDown = true;
    private long logOffset;
    private int starts;

    public NodeProcess(ClusterNode node) {
        this.node = node;
    }

    public ClusterNode node() {
        return node;
    }

    public Process process() {
        return process;
    }

    /** Whether its current process is alive. */
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** The PID of the current process while it runs. */
    public OptionalLong pid() {
        Process current = process;
        return current != null && current.isAlive() ? OptionalLong.of(current.pid()) : OptionalLong.empty();
    }

    /** Records a fresh start: a new process whose output begins at {@code offset} in the log. */
    public void started(Process started, long offset) {
        process = started;
        logOffset = offset;
        paused = false;
        ready = false;
        meantDown = false;
        starts++;
    }

    public boolean paused() {
        return paused;
    }

    public void paused(boolean value) {
        paused = value;
    }

    public boolean ready() {
        return ready;
    }

    public void markReady() {
        ready = true;
    }

    /** Whether the harness stopped or killed it on purpose (so being down is no surprise). */
    public boolean meantDown() {
        return meantDown;
    }

    public void meantDown(boolean value) {
        meantDown = value;
    }

    public long logOffset() {
        return logOffset;
    }

    /** How many times it was started. */
    public int starts() {
        return starts;
    }
}
