package io.sluice.jepsen.fault;

import java.util.List;

/**
 * The shapes of network partitions, as in Jepsen's nemesis: {@value #ISOLATE_ONE} (one node cut
 * off both ways), {@value #HALVES} (a minority and a majority that cannot talk),
 * {@value #MAJORITIES_RING} (every node sees a majority, no two see the same one),
 * {@value #LEADERS} (each current leader alone, the rest together) and {@value #ONE_WAY} (a
 * minority that stops receiving from, or sending to, the others, the other direction intact).
 * {@link Partitions} turns each into cuts.
 */
public final class PartitionShape {
    /** One node isolated. */
    public static final String ISOLATE_ONE = "isolate-one";
    /** Minority against majority. */
    public static final String HALVES = "halves";
    /** Overlapping majorities in a ring. */
    public static final String MAJORITIES_RING = "majorities-ring";
    /** The current leaders isolated. */
    public static final String LEADERS = "leaders";
    /** A one-way cut around a minority. */
    public static final String ONE_WAY = "one-way";

    /** Every shape. */
    public static final List<String> ALL = List.of(ISOLATE_ONE, HALVES, MAJORITIES_RING, LEADERS, ONE_WAY);

    private PartitionShape() {
    }
}
