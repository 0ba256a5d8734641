package io.sluice.jepsen.fault.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.fault.LeaderLocator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of the nodes a destructive fault (storage damage, removal with a wiped data directory) must
 * spare so that every partition keeps an in-sync replica with its log. Sluice, like Kafka, promises
 * an acknowledged write only while one in-sync replica keeps its log; destroying the last one is a
 * fault beyond that promise, which turns a partition offline (or, in Kafka, loses the write) and
 * says nothing about the broker. So the harness asks for the in-sync replicas just after the nodes
 * stopped (a stopped node can no longer shrink anyone's in-sync set; while a partition's ISR is
 * empty its eligible leaders stand for it) and spares, for each partition whose in-sync replicas
 * would all be damaged, the lowest-numbered of them; when the answer is unknown it spares every
 * node. A spared node is still killed or stopped, just not damaged.
 */
final class LastCopies {
    private LastCopies() {
    }

    /**
     * @param targets the nodes the fault would damage
     * @param inSync  each partition's in-sync replicas, or empty when unknown
     * @return the targets to leave undamaged
     */
    static Set<Integer> spared(List<Integer> targets, Optional<List<Set<Integer>>> inSync) {
        if (inSync.isEmpty()) {
            return new TreeSet<>(targets);
        }
        Set<Integer> spared = new TreeSet<>();
        for (Set<Integer> isr : inSync.get()) {
            boolean allDamaged = isr.stream().allMatch(node -> targets.contains(node) && !spared.contains(node));
            if (!isr.isEmpty() && allDamaged) {
                spared.add(new TreeSet<>(isr).first());
            }
        }
        return spared;
    }

    /**
     * Asks {@code locator} and records the answer and the spared nodes under {@code done}
     * ({@code "inSync"}, {@code "spared"}).
     */
    static Set<Integer> spared(List<Integer> targets, LeaderLocator locator, ObjectNode done) {
        Optional<List<Set<Integer>>> inSync;
        try {
            inSync = locator.inSyncReplicas();
        } catch (Exception e) {
            inSync = Optional.empty();
            done.put("inSyncUnknown", String.valueOf(e.getMessage()));
        }
        if (inSync.isPresent()) {
            ArrayNode sets = done.putArray("inSync");
            for (Set<Integer> isr : inSync.get()) {
                new TreeSet<>(isr).forEach(sets.addArray()::add);
            }
        } else if (!done.has("inSyncUnknown")) {
            done.put("inSyncUnknown", "no answer");
        }
        Set<Integer> spared = spared(targets, inSync);
        spared.forEach(done.putArray("spared")::add);
        return spared;
    }
}
