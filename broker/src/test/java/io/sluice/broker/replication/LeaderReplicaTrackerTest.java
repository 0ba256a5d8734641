package io.sluice.broker.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.replication.LeaderReplicaTracker.Settings;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaderReplicaTrackerTest {
    private static final Settings RF3 = new Settings(1, List.of(1, 2, 3), 2, 1_000);

    @Test
    void highWatermarkIsTheSmallestIsrLogEndAndNeverGoesBack() {
        LeaderReplicaTracker t = new LeaderReplicaTracker(RF3, Set.of(1, 2, 3), 0, 0, 0);
        t.onLeaderAppend(10);
        assertFalse(t.maybeAdvanceHighWatermark(), "followers have not fetched this term");
        t.onFollowerFetch(2, 10, 0, 5);
        t.onFollowerFetch(3, 4, 0, 5);
        assertTrue(t.maybeAdvanceHighWatermark());
        assertEquals(4, t.highWatermark());
        t.onFollowerFetch(3, 10, 0, 6);
        t.maybeAdvanceHighWatermark();
        assertEquals(10, t.highWatermark());
    }

    @Test
    void aStuckFollowerIsProposedForRemovalAfterTheLagTime() {
        LeaderReplicaTracker t = new LeaderReplicaTracker(RF3, Set.of(1, 2, 3), 0, 0, 0);
        t.onLeaderAppend(5);
        t.onFollowerFetch(2, 5, 0, 100);
        assertEquals(Optional.empty(), t.proposeIsrShrink(1_000));
        t.onFollowerFetch(2, 5, 0, 1_500);
        assertEquals(Optional.of(Set.of(1, 2)), t.proposeIsrShrink(1_001));
    }

    @Test
    void aFollowerFetchingThePreviousEndCountsAsCaughtUpAtThatFetch() {
        LeaderReplicaTracker t = new LeaderReplicaTracker(RF3, Set.of(1, 2, 3), 0, 0, 0);
        t.onFollowerFetch(3, 0, 0, 0);
        for (long now = 500; now <= 5_000; now += 500) {
            t.onLeaderAppend(now);                   // a steady stream of appends
            t.onFollowerFetch(2, now - 500, 0, now);    // always one fetch behind, never at the end
            t.onFollowerFetch(3, now - 500, 0, now);
        }
        assertEquals(Optional.empty(), t.proposeIsrShrink(5_000), "followers keeping pace stay in sync");
    }

    @Test
    void catchingUpToAnOldEndCountsOnlyFromTheFetchThatSawIt() {
        LeaderReplicaTracker t = new LeaderReplicaTracker(RF3, Set.of(1, 2, 3), 5, 0, 0);
        t.onFollowerFetch(2, 5, 0, 0);
        t.onFollowerFetch(3, 5, 0, 1_900);
        t.onLeaderAppend(10);
        t.onFollowerFetch(2, 5, 0, 2_000);  // reached the end the leader had at t=0, not the one at t=2000
        t.onFollowerFetch(3, 10, 0, 2_000);
        assertEquals(Optional.of(Set.of(1, 3)), t.proposeIsrShrink(2_000));
    }

    @Test
    void highWatermarkWaitsForPendingAdditionsAndFreezesBelowMinIsr() {
        LeaderReplicaTracker t = new LeaderReplicaTracker(RF3, Set.of(1, 2), 10, 10, 0);
        t.onFollowerFetch(2, 10, 0, 1);
        t.onFollowerFetch(3, 10, 0, 1);
        assertEquals(Optional.of(Set.of(1, 2, 3)), t.proposeIsrExpand(1, r -> true));
        assertEquals(Optional.empty(), t.proposeIsrExpand(1, r -> r != 3), "3 is not eligible");
        t.onIsrChangeProposed(Set.of(1, 2, 3));
        t.onLeaderAppend(20);
        t.onFollowerFetch(2, 20, 0, 2);
        assertFalse(t.maybeAdvanceHighWatermark(), "3 is in the maximal ISR and lacks 10..19");
        t.onIsrCommitted(Set.of(1, 2, 3));

        t.onIsrChangeProposed(Set.of(1));
        t.onIsrCommitted(Set.of(1));
        assertFalse(t.hasMinInsyncReplicas());
        t.onFollowerFetch(3, 20, 0, 3);
        assertFalse(t.maybeAdvanceHighWatermark(), "ISR below min.insync.replicas holds the watermark");
        assertEquals(10, t.highWatermark());
    }

    @Test
    void refusesImpossibleInputs() {
        LeaderReplicaTracker t = new LeaderReplicaTracker(RF3, Set.of(1, 2, 3), 5, 5, 0);
        assertThrows(IllegalArgumentException.class, () -> t.onFollowerFetch(4, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> t.onFollowerFetch(2, 6, 0, 0));
        assertThrows(IllegalStateException.class, () -> t.onLeaderAppend(4));
        assertThrows(IllegalArgumentException.class, () -> t.onIsrChangeProposed(Set.of(2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> new LeaderReplicaTracker(RF3, Set.of(2, 3), 5, 5, 0));
    }

    /**
     * Seeded simulation: the leader appends, followers fetch or stall, time passes, ISR changes are
     * proposed and decided after a delay (sometimes refused). After every step, every member of the
     * committed ISR really holds every record below the high watermark, and the watermark never goes
     * back. At the end, with every follower healthy, all rejoin and the watermark reaches the log end.
     * Replay with -Dsluice.seed=N.
     */
    @Test
    void committedRecordsAreAlwaysOnEveryIsrMember() {
        long seed = Long.getLong("sluice.seed", System.nanoTime());
        System.out.println("LeaderReplicaTrackerTest seed=" + seed + " (replay with -Dsluice.seed=" + seed + ")");
        for (int run = 0; run < 20; run++) {
            simulate(new Random(seed + run), "seed " + seed + " run " + run);
        }
    }

    private static void simulate(Random random, String label) {
        Settings settings = new Settings(1, List.of(1, 2, 3, 4), 2, 300);
        LeaderReplicaTracker t = new LeaderReplicaTracker(settings, Set.of(1, 2, 3, 4), 0, 0, 0);
        long[] held = new long[5];        // records each follower really holds (index = broker id)
        boolean[] stalled = new boolean[5];
        long now = 0;
        long leaderEnd = 0;
        long lastHw = 0;
        Set<Integer> inFlight = null;
        long decideAt = 0;
        for (int step = 0; step < 3_000; step++) {
            now += random.nextInt(50);
            int action = random.nextInt(10);
            if (action < 3) {
                leaderEnd += 1 + random.nextInt(5);
                t.onLeaderAppend(leaderEnd);
            } else if (action < 8) {
                int f = 2 + random.nextInt(3);
                if (!stalled[f]) {
                    t.onFollowerFetch(f, held[f], 0, now);
                    held[f] = leaderEnd;
                }
            } else if (action == 8) {
                int f = 2 + random.nextInt(3);
                stalled[f] = !stalled[f];
            }
            if (inFlight != null && now >= decideAt) {
                t.onIsrCommitted(random.nextInt(4) == 0 ? t.isr() : inFlight);
                inFlight = null;
            }
            if (inFlight == null) {
                long at = now;
                Optional<Set<Integer>> change = t.proposeIsrShrink(now).or(() -> t.proposeIsrExpand(at, r -> true));
                if (change.isPresent()) {
                    inFlight = change.get();
                    t.onIsrChangeProposed(inFlight);
                    decideAt = now + random.nextInt(200);
                }
            }
            t.maybeAdvanceHighWatermark();
            assertTrue(t.highWatermark() >= lastHw, label + " step " + step + ": watermark went back");
            lastHw = t.highWatermark();
            for (int member : t.isr()) {
                long has = member == 1 ? leaderEnd : held[member];
                assertTrue(has >= t.highWatermark(), label + " step " + step + ": ISR member " + member
                        + " holds " + has + " records but the watermark is " + t.highWatermark());
            }
        }
        healAndConverge(t, held, leaderEnd, now, label);
    }

    private static void healAndConverge(LeaderReplicaTracker t, long[] held, long leaderEnd, long now, String label) {
        for (int round = 0; round < 10; round++) {
            now += 10;
            for (int f = 2; f <= 4; f++) {
                t.onFollowerFetch(f, held[f], 0, now);
                held[f] = leaderEnd;
            }
            t.onIsrCommitted(t.maximalIsr());
            t.proposeIsrExpand(now, r -> true).ifPresent(grown -> {
                t.onIsrChangeProposed(grown);
                t.onIsrCommitted(grown);
            });
            t.maybeAdvanceHighWatermark();
        }
        assertEquals(Set.of(1, 2, 3, 4), t.isr(), label);
        assertEquals(leaderEnd, t.highWatermark(), label);
    }
}
