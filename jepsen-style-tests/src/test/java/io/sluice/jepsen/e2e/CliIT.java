package io.sluice.jepsen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of {@code bin/sluice} run as a user runs it, as a process, against one real node
 * started with {@code server --dev}: standard output and the exit code are checked, and the
 * failures a user meets (an unknown topic, a command without what it needs) exit non-zero with one
 * line on standard error and no stack trace. The methods run in order on one node and build on
 * each other: topics, then records, then a group; last the node is stopped and its metadata log
 * dumped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
    private static final String TOPIC = "cli-orders";
    private static final String GROUP = "cli-billing";

    private RealCluster cluster;

    @BeforeAll
    void startNode(@TempDir Path dir) throws Exception {
        cluster = RealCluster.startDev(dir, Map.of());
    }

    @AfterAll
    void stopNode() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Cli.Result sluice(String stdin, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", cluster.bootstrap()));
        return Cli.run(stdin, all.toArray(String[]::new));
    }

    private Cli.Result ok(String stdin, String... args) throws Exception {
        Cli.Result r = sluice(stdin, args);
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    private static void assertOneLineFailure(int exitCode, String errorStart, Cli.Result r) {
        assertEquals(exitCode, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith(errorStart), r.toString());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r);
    }

    @Test
    @Order(1)
    void topicsAreCreatedListedAlteredAndDescribed() throws Exception {
        Cli.Result created = ok("", "topics", "create", "--topic", TOPIC, "--partitions", "2",
                "--replication-factor", "1");
        assertEquals("Created topic " + TOPIC + " (2 partitions, replication factor 1).\n", created.out());

        assertTrue(ok("", "topics", "list").lines().contains(TOPIC));

        Cli.Result altered = ok("", "topics", "alter", "--topic", TOPIC, "--config", "retention.ms=86400000",
                "--partitions", "3");
        assertEquals("Set retention.ms=86400000 on topic " + TOPIC + ".\nTopic " + TOPIC
                + " now has 3 partitions.\n", altered.out());

        List<String> described = ok("", "topics", "describe", "--topic", TOPIC).lines();
        assertEquals(4, described.size(), String.join("\n", described));
        assertTrue(described.get(0).startsWith("Topic: " + TOPIC + "\tId: ")
                && described.get(0).endsWith("\tPartitions: 3\tReplicationFactor: 1\tConfigs: retention.ms=86400000"),
                described.get(0));
        for (int p = 0; p < 3; p++) {
            assertTrue(described.get(p + 1).startsWith("\tPartition: " + p + "\tLeader: 1\tEpoch: ")
                    && described.get(p + 1).endsWith("\tReplicas: 1\tIsr: 1"), described.get(p + 1));
        }
    }

    @Test
    @Order(2)
    void unknownTopicsAndIncompleteCommandsFail() throws Exception {
        assertOneLineFailure(1, "sluice topics describe: UNKNOWN_TOPIC_OR_PARTITION",
                sluice("", "topics", "describe", "--topic", "no-such-topic"));
        assertOneLineFailure(1, "sluice produce: UNKNOWN_TOPIC_OR_PARTITION",
                sluice("lost\n", "produce", "--topic", "no-such-topic"));
        assertOneLineFailure(2, "sluice topics alter: nothing to change",
                sluice("", "topics", "alter", "--topic", TOPIC));
    }

    @Test
    @Order(3)
    void producedLinesAreConsumedFromTheBeginningAnOffsetOrATime() throws Exception {
        Cli.Result produced = ok("a\nb\nc\n", "produce", "--topic", TOPIC, "--partition", "0");
        assertEquals("Produced 3 records to " + TOPIC + ".", produced.err().strip());
        ok("k1:x\nk2:y\n", "produce", "--topic", TOPIC, "--partition", "1", "--key-separator", ":");

        Cli.Result all = ok("", "consume", "--topic", TOPIC, "--from-beginning", "--max-messages", "5",
                "--timeout-ms", "30000", "--print-offsets", "--print-key");
        assertEquals(List.of("Partition:0\tOffset:0\tnull\ta", "Partition:0\tOffset:1\tnull\tb",
                "Partition:0\tOffset:2\tnull\tc", "Partition:1\tOffset:0\tk1\tx", "Partition:1\tOffset:1\tk2\ty"),
                all.lines().stream().sorted().toList());
        assertEquals("Processed a total of 5 messages.", all.err().strip());

        Cli.Result fromOffset = ok("", "consume", "--topic", TOPIC, "--partition", "0", "--offset", "1",
                "--max-messages", "2", "--timeout-ms", "30000");
        assertEquals(List.of("b", "c"), fromOffset.lines());

        // every record was written after 0 ms and before the far future
        Cli.Result fromTime = ok("", "consume", "--topic", TOPIC, "--partition", "1", "--timestamp", "0",
                "--max-messages", "2", "--timeout-ms", "30000");
        assertEquals(List.of("x", "y"), fromTime.lines());
    }

    @Test
    @Order(4)
    void aGroupCommitsWhatItReadAndItsOffsetsCanBeReset() throws Exception {
        Cli.Result first = ok("", "consume", "--topic", TOPIC, "--group", GROUP, "--from-beginning",
                "--max-messages", "5", "--timeout-ms", "60000");
        assertEquals(List.of("a", "b", "c", "x", "y"), first.lines().stream().sorted().toList());

        List<String> listed = ok("", "groups", "list").lines();
        assertEquals("GROUP STATE MEMBERS", listed.get(0).replaceAll(" +", " "));
        assertTrue(listed.stream().anyMatch(l -> l.replaceAll(" +", " ").equals(GROUP + " EMPTY 0")),
                String.join("\n", listed));

        List<String> described = ok("", "groups", "describe", "--group", GROUP).lines();
        assertTrue(described.get(0).startsWith("Group: " + GROUP + "\tState: EMPTY\tMembers: 0"), described.get(0));
        assertTrue(normalized(described).containsAll(List.of(row(0, "3 3 0 -"), row(1, "2 2 0 -"),
                row(2, "0 0 0 -"))), String.join("\n", described));
        assertEquals("Total lag: 0", described.get(described.size() - 1));

        Cli.Result dryRun = ok("", "groups", "reset-offsets", "--group", GROUP, "--topic", TOPIC, "--to-offset",
                "1", "--dry-run");
        assertTrue(normalized(dryRun.lines()).containsAll(List.of(TOPIC + " 0 1", TOPIC + " 1 1", TOPIC + " 2 0")),
                dryRun.out());
        assertTrue(dryRun.out().endsWith("Dry run: nothing was committed.\n"), dryRun.out());
        Cli.Result reset = ok("", "groups", "reset-offsets", "--group", GROUP, "--topic", TOPIC, "--to-earliest");
        assertTrue(normalized(reset.lines()).containsAll(List.of(TOPIC + " 0 0", TOPIC + " 1 0", TOPIC + " 2 0")),
                reset.out());

        // no --from-beginning: the group starts where its offsets are, now the log start
        Cli.Result again = ok("", "consume", "--topic", TOPIC, "--group", GROUP, "--max-messages", "5",
                "--timeout-ms", "60000", "--print-offsets");
        assertEquals(5, again.lines().size(), again.toString());
        assertTrue(again.lines().stream().sorted().toList().get(0).equals("Partition:0\tOffset:0\ta"),
                again.out());
    }

    @Test
    @Order(5)
    void theClusterIsDescribedAndATopicDeleted() throws Exception {
        List<String> cluster = ok("", "cluster", "describe").lines();
        assertTrue(cluster.get(0).startsWith("Cluster: "), String.join("\n", cluster));
        assertEquals("Controller: 1", cluster.get(1));
        assertTrue(cluster.stream().anyMatch(l -> l.replaceAll(" +", " ").strip().startsWith("1 127.0.0.1:")
                && l.contains("ACTIVE")), String.join("\n", cluster));
        assertTrue(cluster.containsAll(List.of("Under-replicated partitions: 0", "Offline partitions: 0")),
                String.join("\n", cluster));

        assertEquals("Deleted topic " + TOPIC + ".\n", ok("", "topics", "delete", "--topic", TOPIC).out());
        assertFalse(ok("", "topics", "list").lines().contains(TOPIC));
        assertOneLineFailure(1, "sluice consume: UNKNOWN_TOPIC_OR_PARTITION",
                sluice("", "consume", "--topic", TOPIC, "--max-messages", "1"));
    }

    @Test
    @Order(6)
    void theStoppedNodesMetadataLogIsDumpedWithItsCommands() throws Exception {
        cluster.stop(1);
        Cli.Result r = Cli.run("", "dump-metadata-log", "--data-dir", cluster.dataDir(1).toString());
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.lines();
        assertTrue(lines.get(0).startsWith("# ") && lines.get(1).startsWith("0 term="), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains(" create_topic { name: \"" + TOPIC + "\"")), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains(" delete_topic { topic_id: ")), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains(" group_id: \"" + GROUP + "\"")), r.toString());
        assertOneLineFailure(2, "dump-metadata-log: no Raft log segment",
                Cli.run("", "dump-metadata-log", "--data-dir", cluster.dataDir(1).resolve("logs").toString()));
    }

    private static String row(int partition, String rest) {
        return TOPIC + " " + partition + " " + rest;
    }

    /** Lines with runs of spaces folded to one and trailing blanks dropped: the tables pad columns. */
    private static List<String> normalized(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(" +", " ").strip()).toList();
    }
}
