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
 * spare so that every partition keeps a replica with its whole log. Sluice, like Kafka, promises an
 * acknowledged write only while one in-sync replica keeps its log; destroying the last one is a
 * fault beyond that promise, which turns a partition offline (or, in Kafka, loses the write) and
 * says nothing about the broker. So the harness asks for each partition's in-sync replicas and
 * eligible leaders just after the nodes stopped (a stopped node can no longer shrink anyone's
 * in-sync set) and spares, for each partition whose copies would all be damaged, the lowest-numbered
 * of them; when the answer is unknown it spares every node. A spared node is still killed or
 * stopped, just not damaged.
 *
 * <p>The cluster's answer lags the harness: a node damaged a moment ago stays listed until its
 * restart tells the controller that its log is not intact (seconds later, or never while it is
 * down). So one instance serves a whole run and remembers the nodes it let be damaged. Such a node
 * counts as holding nothing until an answer lists it in no partition: from then on it is listed
 * again only after it caught up, which means it holds the log again. A partition listing only such
 * nodes has every one of them spared, since which of them caught up is not known. Thread-safe.
 */
public final class LastCopies {
    private final LeaderLocator locator;
    private final Set<Integer> damaged = new TreeSet<>();

    /** A record for one run, asking {@code locator} which replicas hold each partition's log. */
    public LastCopies(LeaderLocator locator) {
        this.locator = locator;
    }

    /** Nodes damaged and not yet seen dropped by the cluster, lowest first (for the history). */
    synchronized Set<Integer> damaged() {
        return new TreeSet<>(damaged);
    }

    /**
     * Asks the locator, picks the targets to spare and counts the others as damaged from now on.
     * Records under {@code done} the answer ({@code "inSync"}), the nodes counted as holding nothing
     * ({@code "damagedEarlier"}, when any) and the spared nodes ({@code "spared"}).
     */
    synchronized Set<Integer> spared(List<Integer> targets, ObjectNode done) {
        Optional<List<Set<Integer>>> inSync = ask(done);
        inSync.ifPresent(sets -> {
            damaged.removeIf(node -> sets.stream().noneMatch(listed -> listed.contains(node)));
            if (!damaged.isEmpty()) {
                damaged.forEach(done.putArray("damagedEarlier")::add);
            }
        });
        Set<Integer> spared = spared(targets, inSync, damaged);
        spared.forEach(done.putArray("spared")::add);
        targets.stream().filter(node -> !spared.contains(node)).forEach(damaged::add);
        return spared;
    }

    private Optional<List<Set<Integer>>> ask(ObjectNode done) {
        Optional<List<Set<Integer>>> inSync;
        try {
            inSync = locator.inSyncReplicas();
        } catch (Exception e) {
            done.put("inSyncUnknown", String.valueOf(e.getMessage()));
            return Optional.empty();
        }
        if (inSync.isEmpty()) {
            done.put("inSyncUnknown", "no answer");
            return inSync;
        }
        ArrayNode sets = done.putArray("inSync");
        for (Set<Integer> listed : inSync.get()) {
            new TreeSet<>(listed).forEach(sets.addArray()::add);
        }
        return inSync;
    }

    /**
     * @param targets the nodes the fault would damage
     * @param inSync  each partition's in-sync replicas and eligible leaders, or empty when unknown
     * @param damaged nodes listed in {@code inSync} that may hold nothing (damaged earlier)
     * @return the targets to leave undamaged
     */
    static Set<Integer> spared(List<Integer> targets, Optional<List<Set<Integer>>> inSync, Set<Integer> damaged) {
        if (inSync.isEmpty()) {
            return new TreeSet<>(targets);
        }
        Set<Integer> spared = new TreeSet<>();
        for (Set<Integer> listed : inSync.get()) {
            TreeSet<Integer> copies = new TreeSet<>(listed);
            copies.removeAll(damaged);
            if (copies.isEmpty()) {
                listed.stream().filter(targets::contains).forEach(spared::add);
            } else if (copies.stream().allMatch(node -> targets.contains(node) && !spared.contains(node))) {
                spared.add(copies.first());
            }
        }
        return spared;
    }
}
