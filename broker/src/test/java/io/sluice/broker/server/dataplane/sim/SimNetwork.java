package io.sluice.broker.server.dataplane.sim;

import io.sluice.common.ManualClock;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic in-memory network between simulated nodes (brokers, the controller, clients):
 * every message is a closure delivered after a random delay, unless a fault drops it. Faults:
 * a drop rate, blocked directed links (a one-way partition blocks one direction, a full partition
 * both), and rare long delays. A message is dropped if its link is blocked when it is sent or when
 * it would arrive. Single-threaded.
 */
final class SimNetwork {
    static final int CONTROLLER = -1;

    private final ManualClock clock;
    private final Random random;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.atMs != b.atMs
            ? Long.compare(a.atMs, b.atMs) : Long.compare(a.sequence, b.sequence));
    private final Set<Long> blocked = new HashSet<>();
    private long sequence;
    private double dropRate;
    private int maxDelayMs = 5;
    private long delivered;
    private long dropped;

    private record Event(long atMs, long sequence, int from, int to, Runnable delivery) {
    }

    SimNetwork(ManualClock clock, Random random) {
        this.clock = clock;
        this.random = random;
    }

    /** Sends a message from node {@code from} to node {@code to}; {@code delivery} runs on arrival. */
    void send(int from, int to, Runnable delivery) {
        if (isBlocked(from, to) || (dropRate > 0 && random.nextDouble() < dropRate)) {
            dropped++;
            return;
        }
        long delay = 1 + random.nextInt(maxDelayMs);
        if (dropRate > 0 && random.nextInt(200) == 0) {
            delay += random.nextInt(300);
        }
        events.add(new Event(clock.monotonicMs() + delay, ++sequence, from, to, delivery));
    }

    /** Delivers every message due by now, in time order (and send order for ties). */
    void deliverDue() {
        long now = clock.monotonicMs();
        while (!events.isEmpty() && events.peek().atMs() <= now) {
            Event e = events.poll();
            if (isBlocked(e.from(), e.to())) {
                dropped++;
                continue;
            }
            delivered++;
            e.delivery().run();
        }
    }

    /** The time of the next message, or Long.MAX_VALUE. */
    long nextEventMs() {
        return events.isEmpty() ? Long.MAX_VALUE : events.peek().atMs();
    }

    void setFaults(double rate, int maxDelay) {
        dropRate = rate;
        maxDelayMs = Math.max(1, maxDelay);
    }

    void block(int from, int to) {
        blocked.add(key(from, to));
    }

    /** Cuts {@code node} off from every node in {@code others}, both ways. */
    void isolate(int node, Iterable<Integer> others) {
        for (int other : others) {
            if (other != node) {
                block(node, other);
                block(other, node);
            }
        }
    }

    void healAll() {
        blocked.clear();
        dropRate = 0;
    }

    boolean isBlocked(int from, int to) {
        return blocked.contains(key(from, to));
    }

    boolean hasFaults() {
        return !blocked.isEmpty();
    }

    String stats() {
        return "delivered=" + delivered + " dropped=" + dropped;
    }

    private static long key(int from, int to) {
        return ((long) from << 32) ^ (to & 0xffffffffL);
    }
}
