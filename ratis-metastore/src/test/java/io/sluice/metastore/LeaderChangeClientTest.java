package io.sluice.metastore;

import static io.sluice.metastore.Commands.brokerState;
import static io.sluice.metastore.Commands.commit;
import static io.sluice.metastore.Commands.createTopic;
import static io.sluice.metastore.Commands.register;
import static io.sluice.metastore.Commands.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.metastore.internal.RatisMetaStore;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ErrorCode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the Raft leader dies, a surviving node's next write goes to the new leader at once: its Ratis
 * client is re-aimed at the leader the local server knows instead of trying the dead one and then
 * the other peers in turn (several hundred milliseconds of sleeps and failed attempts, which a new
 * controller's first fencing command used to pay).
 */
class LeaderChangeClientTest {
    /** No fencing while the test runs: the controller proposes nothing of its own. */
    private static final ControllerConfig QUIET_CONTROLLER =
            ControllerConfig.defaults().withSessionTimeoutMs(120_000).withProbeAfterMs(0);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void theFirstWriteAfterALeaderChangeNeedsNoRetryOnAnySurvivor() throws Exception {
        try (QuorumFixture quorum = new QuorumFixture(dir, 3, QUIET_CONTROLLER).requestTimeoutMs(5000)) {
            quorum.startVoters();
            MetadataNode leader = quorum.awaitLeader();
            QuorumFixture.await(() -> !leader.metaStore().image().clusterId().isEmpty(), 30_000, "InitCluster");
            MetaStore store = leader.metaStore();
            MetaResult registered = store.submit(register(0, "inc")).get(30, TimeUnit.SECONDS);
            assertCommitted(registered);
            assertCommitted(store.submit(brokerState(0, registered.getBrokerRegistered().getBrokerEpoch(),
                    BrokerState.BROKER_STATE_ACTIVE, List.of())).get(30, TimeUnit.SECONDS));
            assertCommitted(store.submit(createTopic("t", uuid(0), List.of(List.of(0)))).get(30, TimeUnit.SECONDS));
            // One write from every node, so that every node's client aims at the current leader.
            long offset = 0;
            for (MetadataNode n : quorum.running()) {
                assertCommitted(n.metaStore().submit(commit("g", uuid(0), 0, offset++)).get(30, TimeUnit.SECONDS));
            }
            Map<Integer, Long> retriedBefore = new HashMap<>();
            for (MetadataNode n : quorum.running()) {
                retriedBefore.put(n.nodeId(), store(n).retriedAttempts());
            }

            quorum.kill(leader.nodeId());
            MetadataNode newLeader = quorum.awaitLeader();
            assertNotEquals(leader.nodeId(), newLeader.nodeId());
            List<MetadataNode> survivors = quorum.running();
            for (MetadataNode n : survivors) {
                QuorumFixture.await(() -> n.metaStore().quorumInfo().leaderId() == newLeader.nodeId(), 30_000,
                        "node " + n.nodeId() + " to learn the new leader");
            }

            for (MetadataNode n : survivors) {
                assertCommitted(n.metaStore().submit(commit("g", uuid(0), 0, offset++)).get(30, TimeUnit.SECONDS));
                assertEquals(retriedBefore.get(n.nodeId()), store(n).retriedAttempts(),
                        "Ratis client attempts retried on node " + n.nodeId() + " (the new leader is "
                        + newLeader.nodeId() + ")");
            }
            assertEquals(offset - 1, newLeader.metaStore().readLinearizable().get(30, TimeUnit.SECONDS)
                    .committedOffset("g", new TopicPartitionKey(uuid(0), 0)).getCommittedOffset());
        }
    }

    private static RatisMetaStore store(MetadataNode n) {
        return (RatisMetaStore) n.metaStore();
    }

    private static void assertCommitted(MetaResult r) {
        assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.getErrorMessage());
    }
}
