package io.sluice.broker.it;

import static io.sluice.broker.it.ClusterIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.it.ReplicaLogs.Acked;
import io.sluice.broker.it.ReplicaLogs.StoredBatch;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.PartitionProduceResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader with an unreplicated tail: both followers are frozen (SIGSTOP) while the leader takes
 * acks=leader writes, then the leader is SIGKILLed and the followers resume. A follower becomes
 * leader and takes new acks=all writes at the offsets of the old tail. The old leader comes back as
 * a follower: its tail is truncated and its log converges to the new leader's, byte for byte (checked
 * on disk once every node is killed). No acks=all batch is lost.
 */
class DivergenceIT {
    private static final String TOPIC = "diverge";

    @TempDir
    Path dir;

    @Test
    void aLeaderWithAnUnreplicatedTailComesBackTruncatedAndConverges() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses(dir.resolve("cluster"), 3,
                Map.of("replica.lag.time.max.ms", "10000"));
                RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            nodes.step("cluster ready");
            String any = nodes.node(1).address();
            client.createInSync(any, TOPIC, 3);
            String topicId = client.topicId(any, TOPIC);
            List<Acked> acked = new ArrayList<>();
            for (int b = 0; b < 5; b++) {
                int n = b;
                acked.add(await(() -> produceToLeader(client, any, List.of("a-" + n + "-0", "a-" + n + "-1")),
                        "an acks=all write"));
            }
            // On a loaded machine a slow follower may have left the ISR meanwhile: the followers must
            // both be in it when they freeze, so that either can be elected after the leader dies.
            PartitionMetadata initial = await(() -> client.inSync(any, TOPIC, 0, 3), "3 in-sync replicas");
            int oldLeader = initial.getLeaderId();
            String oldLeaderAddress = nodes.node(oldLeader).address();
            List<Integer> followers = nodes.ids().stream().filter(id -> id != oldLeader).toList();
            for (int follower : followers) {
                nodes.pause(follower);
            }
            nodes.step("followers " + followers + " paused");
            List<Acked> tail = new ArrayList<>();
            for (int b = 0; b < 5; b++) {
                byte[] batch = RawClient.batch(List.of("tail-" + b + "-0", "tail-" + b + "-1"));
                PartitionProduceResponse response = client.produce(oldLeaderAddress, TOPIC, 0, Acks.ACKS_LEADER, batch,
                        10_000);
                assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), response.getErrorMessage());
                tail.add(new Acked(response.getBaseOffset(), batch));
            }
            nodes.kill(oldLeader);
            for (int follower : followers) {
                nodes.resume(follower);
            }
            nodes.step("leader " + oldLeader + " killed with a tail of " + tail.size() + " batches; followers resumed");

            String survivor = nodes.node(followers.get(0)).address();
            PartitionMetadata moved = await(() -> {
                PartitionMetadata p = client.withLeader(survivor, TOPIC, 0);
                return p != null && p.getLeaderId() != oldLeader && p.getLeaderEpoch() > initial.getLeaderEpoch()
                        ? p : null;
            }, "a new leader");
            nodes.step("new leader " + moved.getLeaderId() + " in epoch " + moved.getLeaderEpoch());
            String newLeader = client.brokerAddress(survivor, moved.getLeaderId());
            for (int b = 0; b < 5; b++) {
                int n = b;
                acked.add(await(() -> produceOrNull(client, newLeader, List.of("b-" + n + "-0", "b-" + n + "-1")),
                        "an acks=all write on the new leader"));
            }

            Path scratch = Files.createDirectories(dir.resolve("old-leader-copy"));
            List<StoredBatch> before = ReplicaLogs.readCopy(nodes.dataDir(oldLeader), topicId, 0, scratch);
            ReplicaLogs.assertHoldsAcknowledged("the killed leader", before, tail);

            nodes.start(oldLeader);
            nodes.awaitReady(oldLeader, 180_000);
            PartitionMetadata healed = await(() -> client.inSync(survivor, TOPIC, 0, 3),
                    "the old leader back in the ISR");
            acked.add(client.produceAcked(client.brokerAddress(survivor, healed.getLeaderId()), TOPIC, 0,
                    List.of("barrier")));
            nodes.step("old leader back in the ISR " + healed.getIsrList());

            nodes.killAll();
            ReplicaLogs.assertDistinctOffsets(acked);
            ReplicaLogs.assertKilledReplicasAgree(nodes, topicId, 0, healed.getIsrList(), acked);
            List<StoredBatch> after = ReplicaLogs.read(nodes.dataDir(oldLeader), topicId, 0);
            for (int id : followers) {
                ReplicaLogs.assertSameBelow(Long.MAX_VALUE, "node " + id,
                        ReplicaLogs.read(nodes.dataDir(id), topicId, 0), "the old leader " + oldLeader, after);
            }
            long truncated = tail.stream().filter(t -> after.stream().noneMatch(s -> s.baseOffset() == t.baseOffset()
                    && s.holds(t.batch()))).count();
            assertTrue(truncated > 0, "the old leader's unreplicated tail " + ReplicaLogs.describe(before)
                    + " was not truncated: " + ReplicaLogs.describe(after));
            ClusterIT.assertContains(nodes.log(oldLeader), "truncated to");
        }
    }

    private static Acked produceToLeader(RawClient client, String any, List<String> values) {
        PartitionMetadata p = client.withLeader(any, TOPIC, 0);
        return p == null ? null : produceOrNull(client, client.brokerAddress(any, p.getLeaderId()), values);
    }

    private static Acked produceOrNull(RawClient client, String leader, List<String> values) {
        return client.produceOrNull(leader, TOPIC, 0, RawClient.batch(values));
    }
}
