package io.sluice.jepsen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.admin.ElectionType;
import io.sluice.client.admin.Results;
import io.sluice.client.common.TopicPartition;
import io.sluice.proto.v1.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preferred-leader elections by hand, on three real nodes that do not rebalance by themselves
 * ({@code auto.leader.rebalance.enable=false}): after the preferred leader of a partition is
 * SIGKILLed and restarted, leadership stays with the interim leader until
 * {@code bin/sluice topics elect-leaders} gives it back, and the Admin SDK then reports every
 * partition as already led by its preferred replica. Mistakes on the command line fail with one
 * line and no stack trace.
 */
class LeaderElectionIT {
    private static final String TOPIC = "elect";

    @TempDir
    Path dir;

    @Test
    void theCommandGivesLeadershipBackToTheRestartedPreferredReplica() throws Exception {
        try (RealCluster cluster = RealCluster.start(dir, 3, Map.of("auto.leader.rebalance.enable", "false"))) {
            cluster.createTopic(TOPIC, 3, 3, Map.of("min.insync.replicas", "2"));
            int victim = cluster.leader(TOPIC, 0);
            assertEquals(victim, (int) cluster.describe(TOPIC).partitions().get(0).replicas().get(0),
                    "a new partition is led by its first replica");
            cluster.kill(victim);
            RealCluster.await("partition 0 led by another node", () -> {
                int leader = cluster.describe(TOPIC).partitions().get(0).leader();
                return leader >= 0 && leader != victim;
            });
            cluster.restart(victim);
            RealCluster.await("node " + victim + " back in every ISR", () -> cluster.describe(TOPIC).partitions()
                    .stream().allMatch(p -> p.isr().size() == 3));
            assertNotEquals(victim, cluster.describe(TOPIC).partitions().get(0).leader(),
                    "without the automatic rebalance, leadership stays where the failover put it");

            Cli.Result elected = sluice(cluster, "topics", "elect-leaders", "--election-type", "preferred",
                    "--all-topic-partitions");
            assertEquals(0, elected.exitCode(), elected.toString());
            assertTrue(elected.out().contains("Successfully completed leader election (PREFERRED) for partitions "
                    + TOPIC + "-0"), elected.out());
            // The command returns once the broker it asked has applied the elections; another node
            // may answer the describe a moment before it has.
            RealCluster.await("every partition led by its first replica", () -> cluster.describe(TOPIC).partitions()
                    .stream().allMatch(p -> p.leader() == p.replicas().get(0)));

            Results<TopicPartition, Void> again = cluster.admin().electLeaders(ElectionType.PREFERRED,
                    Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 2))).get();
            assertEquals(Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 2)),
                    again.failures().keySet(), again.toString());
            again.failures().values().forEach(e -> assertEquals(ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED,
                    e.errorCode(), e.getMessage()));
            Cli.Result notNeeded = sluice(cluster, "topics", "elect-leaders", "--election-type", "preferred",
                    "--topic", TOPIC, "--partition", "1");
            assertEquals(0, notNeeded.exitCode(), notNeeded.toString());
            assertEquals("Valid replica already elected for partitions " + TOPIC + "-1\n", notNeeded.out());

            assertRefused(sluice(cluster, "topics", "elect-leaders", "--election-type", "sideways",
                    "--topic", TOPIC), "sluice topics elect-leaders: --election-type must be preferred or unclean");
            assertRefused(sluice(cluster, "topics", "elect-leaders", "--election-type", "preferred",
                    "--topic", TOPIC, "--partition", "3"), "sluice topics elect-leaders: topic " + TOPIC
                    + " has 3 partitions");
            assertRefused(sluice(cluster, "topics", "elect-leaders", "--election-type", "preferred"),
                    "sluice topics elect-leaders: give either --topic T or --all-topic-partitions");
        }
    }

    private static Cli.Result sluice(RealCluster cluster, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", cluster.bootstrap()));
        return Cli.run("", all.toArray(String[]::new));
    }

    private static void assertRefused(Cli.Result r, String errorStart) {
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith(errorStart), r.toString());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r);
    }
}
