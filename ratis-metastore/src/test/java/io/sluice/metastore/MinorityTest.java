package io.sluice.metastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A voter cut off from the majority commits nothing and serves no linearizable read; once the
 * majority is back, the same node's store commits again.
 */
class MinorityTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void aMinorityCannotCommit() throws Exception {
        try (QuorumFixture quorum = new QuorumFixture(dir, 3, ControllerConfig.defaults()).requestTimeoutMs(3000)) {
            MetadataNode leader = leaderAlone(quorum, new ArrayList<>());
            long before = leader.metaStore().image().lastAppliedIndex();
            MetaResult r = leader.metaStore().submit(Commands.register(1, "a")).get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, r.getErrorCode(), r.getErrorMessage());
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> leader.metaStore().readLinearizable().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof MetaStoreException, String.valueOf(e.getCause()));
            assertEquals(before, leader.metaStore().image().lastAppliedIndex(), "nothing was applied");
            assertEquals(null, leader.metaStore().image().broker(1));
        }
    }

    @Test
    @Timeout(180)
    void aStoreThatFailedForLackOfAMajorityCommitsAgainOnceItIsBack() throws Exception {
        try (QuorumFixture quorum = new QuorumFixture(dir, 3, ControllerConfig.defaults()).requestTimeoutMs(2000)) {
            List<Integer> stopped = new ArrayList<>();
            MetadataNode survivor = leaderAlone(quorum, stopped);
            for (int i = 0; i < 3; i++) {
                MetaResult r = survivor.metaStore().submit(Commands.register(1, "a")).get(30, TimeUnit.SECONDS);
                assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, r.getErrorCode(), r.getErrorMessage());
            }
            for (int id : stopped) {
                quorum.restart(id);
            }
            quorum.awaitLeader();
            MetaResult last = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                last = survivor.metaStore().submit(Commands.register(1, "a")).get(30, TimeUnit.SECONDS);
                if (last.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(ErrorCode.ERROR_CODE_NONE, last.getErrorCode(), last.getErrorMessage());
            survivor.metaStore().readLinearizable().get(30, TimeUnit.SECONDS);
        }
    }

    /** Starts the voters, waits for the cluster id, kills every node but the leader (ids into {@code killed}). */
    private static MetadataNode leaderAlone(QuorumFixture quorum, List<Integer> killed) throws Exception {
        quorum.startVoters();
        MetadataNode leader = quorum.awaitLeader();
        QuorumFixture.await(() -> !leader.metaStore().image().clusterId().isEmpty(), 30_000, "InitCluster");
        for (MetadataNode n : quorum.running()) {
            if (n != leader) {
                killed.add(n.nodeId());
                quorum.kill(n.nodeId());
            }
        }
        return leader;
    }
}
