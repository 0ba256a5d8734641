package io.sluice.jepsen.fault.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.cluster.ClusterLauncher;
import io.sluice.jepsen.fault.Fault;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Faults on node processes. {@code KILL}: SIGKILL, healed by starting the nodes again.
 * {@code PAUSE}: SIGSTOP, healed by SIGCONT. {@code MEMBERSHIP}: the node leaves (SIGTERM, its
 * partition replicas and replica state wiped, its Raft metadata kept) and comes back without
 * replicas when healed; a node holding the last in-sync copy of a partition is stopped but not
 * wiped ({@link LastCopies}). Heals do not wait for readiness: a node
 * restarted into a partition may not get ready until that heals too; the run's final phase waits
 * for every node. Not thread-safe.
 */
final class ProcessFault implements Fault {
    /** What is done to the processes. */
    enum Mode {
        KILL, PAUSE, MEMBERSHIP
    }

    private final Mode mode;
    private final List<Integer> nodes;
    private final ClusterLauncher cluster;
    private final LastCopies lastCopies;

    ProcessFault(Mode mode, List<Integer> nodes, ClusterLauncher cluster, LastCopies lastCopies) {
        this.mode = mode;
        this.nodes = List.copyOf(nodes);
        this.cluster = cluster;
        this.lastCopies = lastCopies;
    }

    @Override
    public ObjectNode start() throws IOException, InterruptedException {
        ObjectNode done = Faults.object();
        ObjectNode pids = done.putObject("pids");
        nodes.forEach(node -> cluster.pid(node).ifPresent(pid -> pids.put(Integer.toString(node), pid)));
        switch (mode) {
            case KILL -> cluster.kill(nodes);
            case PAUSE -> cluster.pause(nodes);
            case MEMBERSHIP -> {
                cluster.stop(nodes);
                Set<Integer> spared = lastCopies.spared(nodes, done);
                ObjectNode wiped = done.putObject("wiped");
                for (int node : nodes) {
                    if (spared.contains(node)) {
                        continue;
                    }
                    cluster.wipeReplicaData(node).forEach(wiped.withArray(Integer.toString(node))::add);
                }
            }
            default -> throw new IllegalStateException("unknown mode " + mode);
        }
        return done;
    }

    @Override
    public ObjectNode heal() throws IOException, InterruptedException {
        if (mode == Mode.PAUSE) {
            cluster.resume(nodes);
        } else {
            cluster.start(nodes);
        }
        ObjectNode done = Faults.object();
        ObjectNode pids = done.putObject("pids");
        nodes.forEach(node -> cluster.pid(node).ifPresent(pid -> pids.put(Integer.toString(node), pid)));
        return done;
    }
}
