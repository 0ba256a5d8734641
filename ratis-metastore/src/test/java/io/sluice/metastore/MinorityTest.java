package io.sluice.metastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A voter cut off from the majority commits nothing and serves no linearizable read. */
class MinorityTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void aMinorityCannotCommit() throws Exception {
        try (QuorumFixture quorum = new QuorumFixture(dir, 3, ControllerConfig.defaults()).requestTimeoutMs(3000)) {
            quorum.startVoters();
            MetadataNode leader = quorum.awaitLeader();
            QuorumFixture.await(() -> !leader.metaStore().image().clusterId().isEmpty(), 30_000, "InitCluster");
            for (MetadataNode n : quorum.running()) {
                if (n != leader) {
                    quorum.kill(n.nodeId());
                }
            }
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
}
