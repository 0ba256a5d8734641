package io.sluice.broker.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.broker.log.EpochEndOffset;
import io.sluice.broker.log.InMemoryLog;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.partition.TestBatches;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The KIP-101/279 rules on both sides, including the multi-round case that a plain min() would loop on. */
class DivergenceTest {
    /** A log with one single-record batch per entry of {@code epochs} (the leader epoch of each offset). */
    private static PartitionLog log(int... epochs) {
        InMemoryLog log = new InMemoryLog(LogConfig.DEFAULT);
        for (int epoch : epochs) {
            log.appendAsLeader(TestBatches.batch("r"), epoch, 0);
        }
        return log;
    }

    @Test
    void matchingLogsDoNotDiverge() {
        PartitionLog leader = log(0, 0, 1, 1, 3);
        assertEquals(Optional.empty(), Divergence.check(leader, 1, 4));
        assertEquals(Optional.empty(), Divergence.check(leader, 3, 5));
        assertEquals(Optional.empty(), Divergence.check(leader, -1, 0), "an empty follower matches");
        assertEquals(Optional.empty(), Divergence.check(leader, -1, 5));
    }

    @Test
    void aFollowerAheadOfTheLeaderInTheSameEpochIsCutBack() {
        PartitionLog leader = log(0, 0, 2, 2);
        assertEquals(Optional.of(new EpochEndOffset(2, 4)), Divergence.check(leader, 2, 6));
        assertEquals(Optional.of(new EpochEndOffset(-1, 4)), Divergence.check(leader, -1, 6));
    }

    @Test
    void anEpochTheLeaderNeverHadEndsWhereTheLeadersNextEpochBegins() {
        PartitionLog leader = log(0, 0, 2, 2);
        assertEquals(Optional.of(new EpochEndOffset(0, 2)), Divergence.check(leader, 1, 3));
    }

    @Test
    void aLeaderWithoutAnyOlderEpochTellsTheFollowerToKeepNothingFromItsLogStart() {
        InMemoryLog leader = new InMemoryLog(LogConfig.DEFAULT, 10);
        leader.appendAsLeader(TestBatches.batch("r"), 5, 0);
        assertEquals(Optional.of(new EpochEndOffset(-1, 10)), Divergence.check(leader, 3, 12));
    }

    /**
     * Follower epochs [1 at 0, 3 at 50], end 80; leader epochs [1 at 0, 2 at 40, 4 at 60], end 100.
     * Truncating to min(own end, leader's end) alone would stop at 60 and repeat forever; the
     * follower's own end of the answered epoch makes every round progress, and they meet at 40.
     */
    @Test
    void repeatedRoundsConvergeOnTheLastCommonOffset() {
        int[] followerEpochs = new int[80];
        int[] leaderEpochs = new int[100];
        for (int i = 0; i < 100; i++) {
            if (i < 80) {
                followerEpochs[i] = i < 50 ? 1 : 3;
            }
            leaderEpochs[i] = i < 40 ? 1 : i < 60 ? 2 : 4;
        }
        PartitionLog follower = log(followerEpochs);
        PartitionLog leader = log(leaderEpochs);
        int rounds = 0;
        Optional<EpochEndOffset> diverging;
        while ((diverging = Divergence.check(leader, follower.latestEpoch(), follower.logEndOffset())).isPresent()) {
            follower.truncateTo(Divergence.truncationOffset(follower, diverging.get()));
            rounds++;
            assertEquals(true, rounds < 10, "the exchange must end");
        }
        assertEquals(40, follower.logEndOffset());
        assertEquals(1, follower.latestEpoch());
        assertEquals(2, rounds);
    }

    @Test
    void aFollowerWithOnlyNewerEpochsKeepsNothing() {
        InMemoryLog follower = new InMemoryLog(LogConfig.DEFAULT, 5);
        follower.appendAsLeader(TestBatches.batch("r"), 3, 0);
        follower.appendAsLeader(TestBatches.batch("r"), 3, 0);
        assertEquals(5, Divergence.truncationOffset(follower, new EpochEndOffset(2, 6)));
        assertEquals(6, Divergence.truncationOffset(follower, new EpochEndOffset(-1, 6)));
        assertEquals(7, Divergence.truncationOffset(follower, new EpochEndOffset(-1, 9)), "never beyond the own end");
    }
}
