package io.sluice.metastore.controller.internal;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.ReplicaAssignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Places replicas of new partitions on the active brokers so that leaders and replicas spread
 * evenly, counting what brokers already hold: each new partition's leader is the broker leading
 * fewest partitions (then holding fewest replicas, then lowest id), its followers those holding the
 * fewest replicas (then lowest id). Deterministic for a given image. Counts carry over between calls
 * on one placer, so several topics of one request spread together. Not thread-safe.
 */
public final class ReplicaPlacer {
    private final List<Integer> brokers;
    private final Map<Integer, Integer> leaders = new HashMap<>();
    private final Map<Integer, Integer> replicas = new HashMap<>();

    /** A placer over the image's active brokers and their current load. */
    public ReplicaPlacer(MetadataImage image) {
        this.brokers = image.activeBrokerIds();
        for (int b : brokers) {
            leaders.put(b, 0);
            replicas.put(b, 0);
        }
        for (TopicImage t : image.topics().values()) {
            for (PartitionRecord p : t.partitions()) {
                leaders.computeIfPresent(p.getReplicas(0), (k, v) -> v + 1);
                for (int r : p.getReplicasList()) {
                    replicas.computeIfPresent(r, (k, v) -> v + 1);
                }
            }
        }
    }

    /** Number of brokers that can receive replicas. */
    public int availableBrokers() {
        return brokers.size();
    }

    /** Assignments for partitions {@code firstIndex .. firstIndex + count - 1}, {@code rf} replicas each. */
    public List<ReplicaAssignment> place(int firstIndex, int count, int rf) {
        if (rf > brokers.size() || rf < 1) {
            throw new IllegalArgumentException("replication factor " + rf + " with " + brokers.size() + " brokers");
        }
        List<ReplicaAssignment> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<Integer> chosen = new ArrayList<>(rf);
            int leader = pick(chosen, true);
            chosen.add(leader);
            while (chosen.size() < rf) {
                chosen.add(pick(chosen, false));
            }
            leaders.merge(leader, 1, Integer::sum);
            for (int b : chosen) {
                replicas.merge(b, 1, Integer::sum);
            }
            out.add(ReplicaAssignment.newBuilder().setPartition(firstIndex + i).addAllBrokerIds(chosen).build());
        }
        return out;
    }

    private int pick(List<Integer> excluded, boolean forLeader) {
        int best = -1;
        for (int b : brokers) {
            if (excluded.contains(b)) {
                continue;
            }
            if (best < 0 || better(b, best, forLeader)) {
                best = b;
            }
        }
        return best;
    }

    private boolean better(int a, int b, boolean forLeader) {
        if (forLeader && !leaders.get(a).equals(leaders.get(b))) {
            return leaders.get(a) < leaders.get(b);
        }
        if (!replicas.get(a).equals(replicas.get(b))) {
            return replicas.get(a) < replicas.get(b);
        }
        return a < b;
    }
}
