package io.sluice.metastore.controller.internal;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicConfigs;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.PartitionChange;
import io.sluice.proto.internal.v1.PartitionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Leader election rules, as pure functions from an image to conditional partition changes (each
 * carries the partition epoch it was computed from). Clean elections pick from the ISR, or from the
 * eligible leaders when the ISR is empty; an out-of-sync replica is picked only for an explicit
 * unclean election or when the topic sets {@code unclean.leader.election.enable=true}. Among
 * candidates the replica order decides (the first replica is the preferred leader). Stateless.
 */
public final class Elections {
    /** "No leader". */
    public static final int NO_LEADER = -1;

    private Elections() {
    }

    /**
     * The changes that take {@code brokerId} out of every ISR (fencing or controlled shutdown), with a
     * new leader from the remaining ISR wherever it led (none if the ISR becomes empty).
     */
    public static List<PartitionChange> removeBroker(MetadataImage image, int brokerId) {
        List<PartitionChange> changes = new ArrayList<>();
        for (TopicPartitionKey key : image.partitionsInIsr(brokerId)) {
            PartitionRecord p = image.partition(key);
            List<Integer> isr = new ArrayList<>(p.getIsrList());
            isr.remove(Integer.valueOf(brokerId));
            PartitionChange.Builder c = base(p).setSetIsr(true).addAllIsr(isr);
            if (p.getLeader() == brokerId) {
                c.setLeader(firstOf(p.getReplicasList(), isr, image, brokerId));
            }
            changes.add(c.build());
        }
        return changes;
    }

    /** Elections for leaderless partitions that {@code brokerId} can lead once it is active. */
    public static List<PartitionChange> onUnfence(MetadataImage image, int brokerId) {
        List<PartitionChange> changes = new ArrayList<>();
        for (TopicImage t : image.topics().values()) {
            boolean unclean = uncleanAllowed(image, t);
            for (PartitionRecord p : t.partitions()) {
                if (p.getLeader() != NO_LEADER || p.getIsrCount() > 0 || !p.getReplicasList().contains(brokerId)) {
                    continue;
                }
                boolean clean = p.getEligibleLeadersList().contains(brokerId);
                if (clean || unclean && !anyActive(image, p.getEligibleLeadersList())) {
                    changes.add(base(p).setLeader(brokerId).setSetIsr(true).addIsr(brokerId).build());
                }
            }
        }
        return changes;
    }

    /**
     * Elections for every leaderless partition that has a candidate now: an ISR member, else an
     * active eligible leader, else (topic allows unclean) any active replica.
     */
    public static List<PartitionChange> electLeaderless(MetadataImage image) {
        List<PartitionChange> changes = new ArrayList<>();
        for (TopicImage t : image.topics().values()) {
            boolean unclean = uncleanAllowed(image, t);
            for (PartitionRecord p : t.partitions()) {
                if (p.getLeader() == NO_LEADER) {
                    PartitionChange c = elect(image, p, unclean);
                    if (c != null) {
                        changes.add(c);
                    }
                }
            }
        }
        return changes;
    }

    /** A clean (or, if {@code unclean}, unclean) election for a leaderless partition, or null. */
    public static PartitionChange elect(MetadataImage image, PartitionRecord p, boolean unclean) {
        if (p.getIsrCount() > 0) {
            int leader = firstOf(p.getReplicasList(), p.getIsrList(), image, NO_LEADER);
            return leader == NO_LEADER ? null : base(p).setLeader(leader).build();
        }
        int leader = firstOf(p.getReplicasList(), p.getEligibleLeadersList(), image, NO_LEADER);
        if (leader == NO_LEADER && unclean) {
            leader = firstOf(p.getReplicasList(), p.getReplicasList(), image, NO_LEADER);
        }
        return leader == NO_LEADER ? null : base(p).setLeader(leader).setSetIsr(true).addIsr(leader).build();
    }

    /** The change making the first replica lead, or null if it cannot (not in the ISR, or not active). */
    public static PartitionChange preferred(MetadataImage image, PartitionRecord p) {
        int preferred = p.getReplicas(0);
        if (!p.getIsrList().contains(preferred) || !image.isActive(preferred)) {
            return null;
        }
        return base(p).setLeader(preferred).build();
    }

    /**
     * Preferred-leader elections for every partition led by another replica while its preferred one
     * (the first replica) is in the ISR, active and {@code responsive}: the periodic rebalance that
     * undoes the leadership moves of fencing and controlled shutdown once the brokers are back and
     * caught up. Clean, like every election from the ISR.
     */
    public static List<PartitionChange> preferredLeaders(MetadataImage image, IntPredicate responsive) {
        List<PartitionChange> changes = new ArrayList<>();
        for (TopicImage t : image.topics().values()) {
            for (PartitionRecord p : t.partitions()) {
                if (p.getReplicasCount() > 0 && !preferredLeads(p) && responsive.test(p.getReplicas(0))) {
                    PartitionChange c = preferred(image, p);
                    if (c != null) {
                        changes.add(c);
                    }
                }
            }
        }
        return changes;
    }

    /** Whether the partition is led by its preferred replica, the first one. */
    public static boolean preferredLeads(PartitionRecord p) {
        return p.getReplicasCount() > 0 && p.getLeader() == p.getReplicas(0);
    }

    /** Whether the topic allows unclean elections (its override, else the cluster default). */
    public static boolean uncleanAllowed(MetadataImage image, TopicImage t) {
        return Boolean.parseBoolean(t.topic().getConfigsOrDefault(TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE,
                "false"));
    }

    private static PartitionChange.Builder base(PartitionRecord p) {
        return PartitionChange.newBuilder().setTopicId(p.getTopicId()).setPartition(p.getPartition())
                .setExpectedPartitionEpoch(p.getPartitionEpoch());
    }

    /** The first replica (in replica order) that is in {@code candidates}, active, and not {@code excluded}. */
    private static int firstOf(List<Integer> replicas, List<Integer> candidates, MetadataImage image, int excluded) {
        for (int r : replicas) {
            if (r != excluded && candidates.contains(r) && image.isActive(r)) {
                return r;
            }
        }
        return NO_LEADER;
    }

    private static boolean anyActive(MetadataImage image, List<Integer> brokers) {
        for (int b : brokers) {
            if (image.isActive(b)) {
                return true;
            }
        }
        return false;
    }
}
