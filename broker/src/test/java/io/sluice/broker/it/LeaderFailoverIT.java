package io.sluice.broker.it;

import static io.sluice.broker.it.ClusterIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.broker.it.ReplicaLogs.Acked;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.PartitionMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes, a topic with three replicas, acks=all and min.insync.replicas=2: the
 * partition leader is SIGKILLed while a producer keeps writing. Afterwards every acknowledged batch
 * is on the new leader and on every in-sync replica (the two survivors), at its acknowledged offset,
 * with its bytes — checked on disk, replica by replica, once every node is killed. (That a
 * killed leader rejoins and converges is {@link ClusterIT}'s and {@link DivergenceIT}'s part.)
 */
class LeaderFailoverIT {
    private static final String TOPIC = "failover";

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBatchSurvivesTheLeaderKilledMidStream() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses(dir, 3, Map.of()); RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            nodes.step("cluster ready");
            String any = nodes.node(1).address();
            PartitionMetadata initial = client.createInSync(any, TOPIC, 3);
            String topicId = client.topicId(any, TOPIC);
            int oldLeader = initial.getLeaderId();
            String survivor = nodes.node(oldLeader == 1 ? 2 : 1).address();

            List<String> addresses = nodes.ids().stream().map(id -> nodes.node(id).address()).toList();
            List<Acked> acked = new ArrayList<>();
            try (ProducerLoop producer = new ProducerLoop(client, addresses, TOPIC, 0, Acks.ACKS_ALL, "a")) {
                await(() -> producer.acknowledgedCount() >= 20 ? true : null, "20 acknowledged batches");
                nodes.step(producer.acknowledgedCount() + " batches acknowledged; SIGKILL leader " + oldLeader);
                nodes.kill(oldLeader);
                int beforeKill = producer.acknowledgedCount();
                await(() -> {
                    PartitionMetadata p = client.withLeader(survivor, TOPIC, 0);
                    return p != null && p.getLeaderId() != oldLeader ? p : null;
                }, "a new leader");
                nodes.step("a new leader");
                await(() -> producer.acknowledgedCount() >= beforeKill + 20 ? true : null,
                        "20 batches acknowledged after the kill");
                producer.close();
                nodes.step(producer.acknowledgedCount() + " batches acknowledged; producer stopped");
                assertEquals(List.of(), producer.fatalErrors(), "errors no retry can fix");
                acked.addAll(producer.acknowledged());
            }
            ReplicaLogs.assertDistinctOffsets(acked);

            PartitionMetadata shrunk = await(() -> {
                PartitionMetadata p = client.inSync(survivor, TOPIC, 0, 2);
                return p != null && !p.getIsrList().contains(oldLeader) ? p : null;
            }, "an ISR of the two survivors");
            // One more acks=all batch: its acknowledgement means every ISR member's log reaches past
            // everything acknowledged before it.
            acked.add(client.produceAcked(client.brokerAddress(survivor, shrunk.getLeaderId()), TOPIC, 0,
                    List.of("barrier")));
            nodes.step("ISR " + shrunk.getIsrList() + " and the barrier acknowledged");
            nodes.killAll();
            nodes.step("cluster killed; comparing the replicas' logs");
            ReplicaLogs.assertKilledReplicasAgree(nodes, topicId, 0, shrunk.getIsrList(), acked);
        }
    }
}
