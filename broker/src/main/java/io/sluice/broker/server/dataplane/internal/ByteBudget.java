package io.sluice.broker.server.dataplane.internal;

/**
 * The byte bounds of one fetch answer: a total, a per-partition bound, and the progress guarantee
 * that the first batch of the first partition with data is returned even when larger. Not
 * thread-safe (one per answer being built).
 */
final class ByteBudget {
    private int remaining;
    private int used;

    ByteBudget(int maxBytes) {
        this.remaining = maxBytes;
    }

    /** The bound for the next partition read. */
    int nextLimit(int partitionMaxBytes) {
        return Math.max(0, Math.min(partitionMaxBytes, remaining));
    }

    /** Whether the next read must return its first batch even beyond the bound. */
    boolean minOneBatch() {
        return used == 0;
    }

    void consumed(int bytes) {
        used += bytes;
        remaining -= bytes;
    }

    int used() {
        return used;
    }
}
