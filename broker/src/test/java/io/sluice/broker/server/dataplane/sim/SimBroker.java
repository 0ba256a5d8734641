package io.sluice.broker.server.dataplane.sim;

import io.sluice.broker.partition.InMemoryReplicaStateStore;
import io.sluice.broker.partition.MemoryLogs;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.replication.ReplicaFetchTransport;
import io.sluice.broker.server.dataplane.DataPlane;
import io.sluice.broker.server.dataplane.DataPlaneConfig;
import io.sluice.common.ManualClock;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.ReplicaFetchRequest;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated broker: its "disk" (in-memory logs and replica state store, which survive a crash)
 * and its process (a {@link DataPlane}, lost on a crash). Its replica fetches and ISR changes go
 * through the {@link SimNetwork}. Single-threaded.
 */
final class SimBroker {
    final int id;
    final MemoryLogs disk = new MemoryLogs();
    final InMemoryReplicaStateStore stateStore = new InMemoryReplicaStateStore();
    private final SimCluster cluster;
    private DataPlane process;
    private long brokerEpoch;
    private int incarnation;

    SimBroker(int id, SimCluster cluster) {
        this.id = id;
        this.cluster = cluster;
    }

    boolean isUp() {
        return process != null;
    }

    DataPlane process() {
        return process;
    }

    long brokerEpoch() {
        return brokerEpoch;
    }

    int incarnation() {
        return incarnation;
    }

    void start(ManualClock clock, DataPlaneConfig config, long epoch) {
        incarnation++;
        brokerEpoch = epoch;
        int started = incarnation;
        process = DataPlane.create(id, clock, config, new ReplicaManager.Services(disk,
                stateStore, fetchTransport(started), request -> {
                    CompletableFuture<AlterPartitionResponse> answer = new CompletableFuture<>();
                    cluster.network().send(id, SimNetwork.CONTROLLER, () -> {
                        AlterPartitionResponse response = cluster.controller().alterPartition(request);
                        cluster.network().send(SimNetwork.CONTROLLER, id, () -> answer.complete(response));
                    });
                    return answer;
                }));
        process.setBrokerEpoch(epoch);
    }

    /** Loses the process (and everything in memory); the disk stays. */
    void crash() {
        process = null;
    }

    private ReplicaFetchTransport fetchTransport(int started) {
        return (leaderId, request, timeoutMs, callback) -> cluster.network().send(id, leaderId, () -> {
            SimBroker leader = cluster.broker(leaderId);
            if (!leader.isUp()) {
                return;
            }
            leader.process().replicaFetch(request, response -> cluster.network().send(leaderId, id, () -> {
                if (isUp() && incarnation == started) {
                    callback.onResponse(response);
                }
            }));
        });
    }

    /** What a follower's fetch to this broker would carry (for tests of stale epochs). */
    ReplicaFetchRequest.Builder fetchRequest() {
        return ReplicaFetchRequest.newBuilder().setReplicaId(id).setBrokerEpoch(brokerEpoch);
    }
}
