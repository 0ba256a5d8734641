package io.sluice.jepsen.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.jepsen.net.Cut;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The partition shapes as cuts: who still hears whom. */
class PartitionsTest {
    private static final List<Integer> FIVE = List.of(3, 1, 4, 5, 2);

    @Test
    void isolatingOneNodeCutsItBothWays() {
        Map<Integer, Set<Integer>> hears = Partitions.hears(Partitions.isolate(4, FIVE), FIVE);
        assertEquals(Set.of(4), hears.get(4));
        assertEquals(Set.of(1, 2, 3, 5), hears.get(1));
    }

    @Test
    void halvesSplitTheLargestMinorityFromTheRest() {
        Map<Integer, Set<Integer>> hears = Partitions.hears(Partitions.halves(FIVE), FIVE);
        assertEquals(Set.of(3, 1), hears.get(3));
        assertEquals(Set.of(4, 5, 2), hears.get(2));
        Map<Integer, Set<Integer>> three = Partitions.hears(Partitions.halves(List.of(2, 3, 1)), List.of(1, 2, 3));
        assertEquals(Set.of(2), three.get(2));
        assertEquals(Set.of(1, 3), three.get(3));
    }

    @Test
    void inAMajoritiesRingEveryNodeHearsItsOwnMajority() {
        for (List<Integer> ring : List.of(FIVE, List.of(2, 1, 3))) {
            Map<Integer, Set<Integer>> hears = Partitions.hears(Partitions.majoritiesRing(ring), ring);
            int majority = ring.size() / 2 + 1;
            for (Map.Entry<Integer, Set<Integer>> entry : hears.entrySet()) {
                assertEquals(majority, entry.getValue().size(), entry.getKey() + " hears " + entry.getValue());
                assertTrue(entry.getValue().contains(entry.getKey()));
            }
            assertEquals(ring.size(), new HashSet<>(hears.values()).size(), "no two nodes hear the same majority");
        }
        // five nodes: node 4 sits between 1 and 5 in the ring and hears exactly those
        assertEquals(Set.of(1, 4, 5), Partitions.hears(Partitions.majoritiesRing(FIVE), FIVE).get(4));
        Set<Cut> cuts = Partitions.majoritiesRing(FIVE);
        cuts.forEach(cut -> assertTrue(cuts.contains(new Cut(cut.to(), cut.from())), "symmetric with 5 nodes"));
    }

    @Test
    void oneWayCutsLeaveTheOtherDirection() {
        Set<Cut> inbound = Partitions.oneWay(List.of(2), FIVE, true);
        Map<Integer, Set<Integer>> hears = Partitions.hears(inbound, FIVE);
        assertEquals(Set.of(2), hears.get(2), "2 hears nobody");
        assertEquals(Set.of(1, 2, 3, 4, 5), hears.get(1), "everybody still hears 2");
        Set<Cut> outbound = Partitions.oneWay(List.of(2, 5), FIVE, false);
        assertEquals(Set.of(1, 2, 3, 4, 5), Partitions.hears(outbound, FIVE).get(2), "2 hears everybody");
        assertEquals(Set.of(1, 3, 4), Partitions.hears(outbound, FIVE).get(1), "nobody hears 2 or 5");
    }

    @Test
    void leadersAreEachIsolatedAndTheRestStayTogether() {
        Map<Integer, Set<Integer>> hears = Partitions.hears(Partitions.leaders(List.of(1, 5, 9), FIVE), FIVE);
        assertEquals(Set.of(1), hears.get(1));
        assertEquals(Set.of(5), hears.get(5));
        assertEquals(Set.of(2, 3, 4), hears.get(3));
        assertEquals(Set.of(), Partitions.leaders(List.of(), List.of(1, 2)));
    }
}
