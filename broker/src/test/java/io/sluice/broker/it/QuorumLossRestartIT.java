package io.sluice.broker.it;

import static io.sluice.broker.it.ClusterIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.PartitionMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restarted while the metadata quorum has no majority (the two other voters frozen with
 * SIGSTOP) keeps waiting for it, for longer than a metadata request's timeout, instead of exiting;
 * once the majority is back (SIGCONT) it becomes ready and rejoins the ISR of a replicated
 * partition. Chaos seed 101 found restarted nodes exiting with code 1 in this situation.
 */
class QuorumLossRestartIT {
    private static final String TOPIC = "quorum-loss";
    private static final long NO_MAJORITY_MS = 30_000;

    @TempDir
    Path dir;

    @Test
    void aNodeRestartedWithoutAMajorityWaitsForItAndThenServes() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses(dir, 3, Map.of()); RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            String first = nodes.node(1).address();
            client.createInSync(first, TOPIC, 3);
            nodes.kill(3);
            nodes.pause(1);
            nodes.pause(2);
            nodes.step("node 3 killed, nodes 1 and 2 frozen: no majority");
            nodes.start(3);
            Thread.sleep(NO_MAJORITY_MS);
            assertTrue(running(nodes, 3), "node 3 must still be running after " + NO_MAJORITY_MS + " ms without a"
                    + " majority:\n" + nodes.log(3));
            nodes.resume(1);
            nodes.resume(2);
            nodes.step("nodes 1 and 2 resumed");
            nodes.awaitReady(3, 180_000);
            nodes.step("node 3 ready");
            PartitionMetadata healed = await(() -> client.inSync(first, TOPIC, 0, 3), "node 3 back in the ISR");
            assertEquals(3, healed.getIsrCount());
            client.produceAcked(client.brokerAddress(first, healed.getLeaderId()), TOPIC, 0, List.of("after"));
        }
    }

    private static boolean running(NodeProcesses nodes, int id) {
        try {
            return nodes.pid(id) > 0;
        } catch (IllegalStateException exited) {
            return false;
        }
    }
}
