package io.sluice.jepsen.net;

/**
 * One direction of a partition: packets from node {@code from} to node {@code to} are dropped.
 * A two-way partition between two nodes is two cuts.
 *
 * @param from the sending node's id
 * @param to   the receiving node's id
 */
public record Cut(int from, int to) implements Comparable<Cut> {
    public Cut {
        if (from == to) {
            throw new IllegalArgumentException("a node cannot be cut from itself: " + from);
        }
    }

    @Override
    public int compareTo(Cut other) {
        return from != other.from ? Integer.compare(from, other.from) : Integer.compare(to, other.to);
    }

    @Override
    public String toString() {
        return "n" + from + "->n" + to;
    }
}
