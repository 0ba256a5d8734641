package io.sluice.metastore;

import static io.sluice.metastore.Commands.brokerState;
import static io.sluice.metastore.Commands.commit;
import static io.sluice.metastore.Commands.createTopic;
import static io.sluice.metastore.Commands.register;
import static io.sluice.metastore.Commands.uuid;
import static io.sluice.metastore.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.QuorumRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three voters and a listener on real Ratis over loopback: topics created through any member, the
 * leader killed, the new leader carries on with everything committed, concurrent submits (group
 * commit) each get their own answer and apply in submission order, the listener receives every
 * change in log order, and a node restarted after the log moved on catches up by installing a
 * snapshot. Assertions tolerate leader changes.
 */
class MetadataQuorumTest {
    @TempDir
    Path dir;

    private static MetaResult submit(MetaStore store, MetaCommand cmd) throws Exception {
        MetaResult r = store.submit(cmd).get(30, TimeUnit.SECONDS);
        assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.getErrorMessage());
        return r;
    }

    /**
     * Submits a topic creation while a new leader settles: an answer of unknown outcome (the
     * store's commit timeout, QUORUM_UNAVAILABLE) is retried, and TOPIC_ALREADY_EXISTS after it
     * means the earlier attempt committed.
     */
    private static void createAfterLeaderChange(MetaStore store, MetaCommand cmd) throws Exception {
        boolean unknown = false;
        for (int attempt = 0; attempt < 4; attempt++) {
            MetaResult r = store.submit(cmd).get(30, TimeUnit.SECONDS);
            if (r.getErrorCode() == ErrorCode.ERROR_CODE_NONE
                    || unknown && r.getErrorCode() == ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS) {
                return;
            }
            assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, r.getErrorCode(), r.getErrorMessage());
            unknown = true;
        }
        throw new AssertionError("no answer of known outcome after 4 attempts: " + cmd);
    }

    @Test
    @Timeout(180)
    void votersAndAListenerSurviveALeaderKillAndARestartCatchesUpBySnapshot() throws Exception {
        ControllerConfig config = ControllerConfig.defaults().withSessionTimeoutMs(120_000);
        try (QuorumFixture quorum = new QuorumFixture(dir, 3, config)) {
            quorum.startVoters();
            MetadataNode leader = quorum.awaitLeader();
            await(() -> !leader.metaStore().image().clusterId().isEmpty(), 30_000, "InitCluster");
            MetadataNode listener = quorum.startListener(10);
            listener.joined().get(30, TimeUnit.SECONDS);
            List<MetadataUpdate> seen = new CopyOnWriteArrayList<>();
            listener.metaStore().addListener(seen::add);

            MetaStore follower = quorum.running().stream().filter(n -> n != leader && n != listener).findFirst()
                    .orElseThrow().metaStore();
            for (int b = 0; b < 3; b++) {
                long epoch = submit(follower, register(b, "inc-" + b)).getBrokerRegistered().getBrokerEpoch();
                submit(follower, brokerState(b, epoch, BrokerState.BROKER_STATE_ACTIVE, List.of()));
            }
            for (int t = 0; t < 5; t++) {
                submit(follower, createTopic("before-" + t, uuid(t), List.of(List.of(0, 1, 2))));
            }
            long indexBeforeKill = follower.image().lastAppliedIndex();
            assertEquals(5, follower.image().topics().size(), "a submit is visible locally once answered");

            int killed = leader.nodeId();
            quorum.kill(killed);
            MetadataNode newLeader = quorum.awaitLeader();
            assertTrue(newLeader.nodeId() != killed);
            assertEquals(5, newLeader.metaStore().readLinearizable().get(30, TimeUnit.SECONDS).topics().size());
            for (int t = 0; t < 5; t++) {
                createAfterLeaderChange(listener.metaStore(), createTopic("after-" + t, uuid(100 + t),
                        List.of(List.of(0, 1))));
            }
            // Concurrent submits share log entries (group commit); every tenth names a partition that
            // does not exist and must get its own refusal while its neighbours in the entry commit.
            List<CompletableFuture<MetaResult>> commits = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                commits.add(newLeader.metaStore().submit(commit("g", uuid(0), i % 10 == 9 ? 7 : 0, i)));
            }
            for (int i = 0; i < 150; i++) {
                assertEquals(i % 10 == 9 ? ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.ERROR_CODE_NONE,
                        commits.get(i).get(30, TimeUnit.SECONDS).getErrorCode(), "commit " + i);
            }
            // One entry each, so that the leader passes its snapshot threshold (40 entries) and purges
            // its log beyond what the killed node has: that node must catch up by snapshot.
            for (int i = 0; i < 45; i++) {
                assertEquals(ErrorCode.ERROR_CODE_NONE, newLeader.metaStore().submit(commit("h", uuid(0), 0, i))
                        .get(30, TimeUnit.SECONDS).getErrorCode(), "lone commit " + i);
            }
            MetadataImage latest = newLeader.metaStore().readLinearizable().get(30, TimeUnit.SECONDS);
            assertEquals(10, latest.topics().size());

            assertListenerSawEverythingInOrder(listener, seen, latest.lastAppliedIndex());
            MetadataNode restarted = quorum.restart(killed);
            List<MetadataUpdate> restartedSeen = new CopyOnWriteArrayList<>();
            restarted.metaStore().addListener(restartedSeen::add);
            await(() -> restarted.metaStore().image().lastAppliedIndex() >= latest.lastAppliedIndex(), 60_000,
                    "the restarted node to catch up");
            assertTrue(restarted.metaStore().image().sameState(latest.withPosition(0, 0))
                    || restarted.metaStore().image().topics().size() == 10);
            assertEquals(148, restarted.metaStore().image().committedOffset("g",
                    new TopicPartitionKey(uuid(0), 0)).getCommittedOffset());
            assertTrue(restartedSeen.stream().anyMatch(u -> u.fromSnapshot() && u.index() > indexBeforeKill),
                    "the restarted node installed a snapshot from the leader");
            QuorumInfo info = newLeader.metaStore().quorumInfo();
            assertEquals(4, info.members().size());
            assertEquals(QuorumRole.QUORUM_ROLE_LISTENER, info.member(10).role());
            assertNotNull(info.leaderClientEndpoint());
        }
    }

    private static void assertListenerSawEverythingInOrder(MetadataNode listener, List<MetadataUpdate> seen,
            long index) {
        await(() -> listener.metaStore().image().lastAppliedIndex() >= index, 30_000, "the listener to catch up");
        long last = 0;
        List<String> created = new ArrayList<>();
        for (MetadataUpdate u : seen) {
            assertTrue(u.index() > last, "updates in log order");
            last = u.index();
            u.deltas().stream().filter(d -> d instanceof MetadataDelta.TopicCreated)
                    .forEach(d -> created.add(((MetadataDelta.TopicCreated) d).topic().getName()));
        }
        assertEquals(List.of("before-0", "before-1", "before-2", "before-3", "before-4", "after-0", "after-1",
                "after-2", "after-3", "after-4"), created);
        assertEquals(10, listener.metaStore().image().topics().size());
    }
}
