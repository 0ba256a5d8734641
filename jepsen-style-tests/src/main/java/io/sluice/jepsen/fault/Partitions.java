package io.sluice.jepsen.fault;

import io.sluice.jepsen.net.Cut;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Partition shapes turned into sets of {@link Cut}s. Pure functions: the node orders passed in
 * (shuffled by the schedule's seeded random) decide which nodes end up where.
 */
public final class Partitions {
    private Partitions() {
    }

    /** Cuts every pair of nodes in different components, both ways. */
    public static Set<Cut> components(List<? extends Collection<Integer>> components) {
        Set<Cut> cuts = new TreeSet<>();
        for (int i = 0; i < components.size(); i++) {
            for (int j = 0; j < components.size(); j++) {
                if (i == j) {
                    continue;
                }
                for (int from : components.get(i)) {
                    for (int to : components.get(j)) {
                        cuts.add(new Cut(from, to));
                    }
                }
            }
        }
        return cuts;
    }

    /** One node cut off from all others, both ways. */
    public static Set<Cut> isolate(int node, Collection<Integer> all) {
        List<Integer> rest = all.stream().filter(n -> n != node).toList();
        return components(List.of(List.of(node), rest));
    }

    /** The first {@code majority(n) - 1} nodes of {@code order} against the rest, both ways. */
    public static Set<Cut> halves(List<Integer> order) {
        int minority = Target.size(Target.MINORITY, order.size());
        return components(List.of(order.subList(0, minority), order.subList(minority, order.size())));
    }

    /**
     * Jepsen's majorities ring: the nodes sit in a ring in the given order; for every window of
     * {@code majority(n)} consecutive nodes, the node in the window's middle receives only from
     * the window. Every node then hears a majority (itself included), and no two nodes hear the
     * same one. With an odd number of nodes the cuts are symmetric; with 3 nodes each node hears
     * itself and one neighbour, and the cuts are one-way.
     */
    public static Set<Cut> majoritiesRing(List<Integer> ring) {
        int n = ring.size();
        int m = Target.majority(n);
        Set<Cut> cuts = new TreeSet<>();
        for (int start = 0; start < n; start++) {
            Set<Integer> window = new TreeSet<>();
            for (int k = 0; k < m; k++) {
                window.add(ring.get((start + k) % n));
            }
            int middle = ring.get((start + m / 2) % n);
            for (int other : ring) {
                if (!window.contains(other)) {
                    cuts.add(new Cut(other, middle));
                }
            }
        }
        return cuts;
    }

    /**
     * Each leader alone, the other nodes together. Nodes outside {@code all} are ignored; with no
     * leader inside it there is nothing to cut.
     */
    public static Set<Cut> leaders(Collection<Integer> leaders, Collection<Integer> all) {
        List<List<Integer>> components = new ArrayList<>();
        List<Integer> rest = new ArrayList<>(all);
        for (int leader : new TreeSet<>(leaders)) {
            if (rest.remove(Integer.valueOf(leader))) {
                components.add(List.of(leader));
            }
        }
        if (!rest.isEmpty()) {
            components.add(rest);
        }
        return components(components);
    }

    /**
     * A one-way cut around {@code group}: when {@code inbound}, the group stops receiving from the
     * other nodes but still reaches them; otherwise it stops reaching them but still hears them.
     */
    public static Set<Cut> oneWay(Collection<Integer> group, Collection<Integer> all, boolean inbound) {
        Set<Cut> cuts = new TreeSet<>();
        for (int member : group) {
            for (int other : all) {
                if (!group.contains(other)) {
                    cuts.add(inbound ? new Cut(other, member) : new Cut(member, other));
                }
            }
        }
        return cuts;
    }

    /** For each node, the nodes it still receives from (itself included) under these cuts. */
    public static Map<Integer, Set<Integer>> hears(Collection<Cut> cuts, Collection<Integer> all) {
        Map<Integer, Set<Integer>> hears = new TreeMap<>();
        for (int to : all) {
            Set<Integer> from = new TreeSet<>(all);
            cuts.stream().filter(c -> c.to() == to).forEach(c -> from.remove(c.from()));
            hears.put(to, from);
        }
        return hears;
    }
}
