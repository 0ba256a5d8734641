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
 * Three node processes that look for leaders to give back every second
 * ({@code leader.imbalance.check.interval.seconds=1}): a partition's preferred leader (its first
 * replica) is SIGKILLed under an acks=all producer, restarted, and once back in the ISR takes the
 * leadership back from the live interim leader while the producer keeps writing. Afterwards every
 * acknowledged batch is on every in-sync replica at its acknowledged offset, with its bytes, checked
 * on disk once every node is killed.
 */
class PreferredLeaderIT {
    private static final String TOPIC = "preferred";

    @TempDir
    Path dir;

    @Test
    void leadershipGoesBackToTheRestartedPreferredReplicaAndNoAcknowledgedBatchIsLost() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses(dir, 3, Map.of("leader.imbalance.check.interval.seconds", "1"));
                RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            nodes.step("cluster ready");
            String any = nodes.node(1).address();
            PartitionMetadata initial = client.createInSync(any, TOPIC, 3);
            String topicId = client.topicId(any, TOPIC);
            int preferred = initial.getReplicas(0);
            assertEquals(preferred, initial.getLeaderId(), "a new partition is led by its first replica");
            String survivor = nodes.node(preferred == 1 ? 2 : 1).address();

            List<String> addresses = nodes.ids().stream().map(id -> nodes.node(id).address()).toList();
            List<Acked> acked = new ArrayList<>();
            try (ProducerLoop producer = new ProducerLoop(client, addresses, TOPIC, 0, Acks.ACKS_ALL, "a")) {
                await(() -> producer.acknowledgedCount() >= 20 ? true : null, "20 acknowledged batches");
                nodes.step(producer.acknowledgedCount() + " batches acknowledged; SIGKILL preferred leader "
                        + preferred);
                nodes.kill(preferred);
                int interim = await(() -> {
                    PartitionMetadata p = client.withLeader(survivor, TOPIC, 0);
                    return p != null && p.getLeaderId() != preferred ? p.getLeaderId() : null;
                }, "an interim leader");
                int beforeRestart = producer.acknowledgedCount();
                await(() -> producer.acknowledgedCount() >= beforeRestart + 20 ? true : null,
                        "20 batches acknowledged by the interim leader");
                nodes.step("interim leader " + interim + "; restarting node " + preferred);
                nodes.start(preferred);
                nodes.awaitReady(preferred, 180_000);
                await(() -> {
                    PartitionMetadata p = client.withLeader(survivor, TOPIC, 0);
                    return p != null && p.getLeaderId() == preferred ? p : null;
                }, "the preferred replica leading again");
                int afterReturn = producer.acknowledgedCount();
                nodes.step("node " + preferred + " leads again after " + afterReturn + " batches");
                await(() -> producer.acknowledgedCount() >= afterReturn + 20 ? true : null,
                        "20 batches acknowledged after the return");
                producer.close();
                nodes.step(producer.acknowledgedCount() + " batches acknowledged; producer stopped");
                assertEquals(List.of(), producer.fatalErrors(), "errors no retry can fix");
                acked.addAll(producer.acknowledged());
            }
            ReplicaLogs.assertDistinctOffsets(acked);

            PartitionMetadata full = await(() -> {
                PartitionMetadata p = client.inSync(survivor, TOPIC, 0, 3);
                return p != null && p.getLeaderId() == preferred ? p : null;
            }, "three in-sync replicas under the preferred leader");
            // One more acks=all batch: its acknowledgement means every ISR member's log reaches past
            // everything acknowledged before it.
            acked.add(client.produceAcked(client.brokerAddress(survivor, preferred), TOPIC, 0, List.of("barrier")));
            nodes.step("ISR " + full.getIsrList() + " and the barrier acknowledged");
            nodes.killAll();
            nodes.step("cluster killed; comparing the replicas' logs");
            ReplicaLogs.assertKilledReplicasAgree(nodes, topicId, 0, full.getIsrList(), acked);
        }
    }
}
