package io.sluice.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.testing.FakeBroker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each command run as a user would, against the one-node fake broker; output and exit codes checked. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliCommandsTest {
    private FakeBroker broker;

    /** One run's result. */
    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        broker = FakeBroker.start(2_000);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Run withInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(ClientFactory.standard(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), action -> { });
        List<String> all = new ArrayList<>(List.of(args));
        if (all.size() > 0 && !all.get(0).equals("version")) {
            all.add("--bootstrap-server");
            all.add(broker.address());
        }
        int exit = SluiceCli.with(env).run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) {
        return withInput("", args);
    }

    private static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception:"), "no stack trace: " + r.err());
    }

    @Test
    void topicsAreManagedFromTheCommandLine() {
        Run created = run("topics", "create", "--topic", "logs", "--partitions", "3", "--config", "retention.ms=1000");
        assertEquals(0, created.exit(), created.err());
        assertEquals("Created topic logs (3 partitions, replication factor 1).\n", created.out());

        Run again = run("topics", "create", "--topic", "logs", "--partitions", "3");
        assertEquals(1, again.exit());
        assertTrue(again.err().startsWith("sluice topics create: TOPIC_ALREADY_EXISTS: topic 'logs'"), again.err());
        assertNoStackTrace(again);
        assertEquals(0, run("topics", "create", "--topic", "logs", "--if-not-exists").exit());

        assertEquals("logs\n", run("topics", "list").out());
        Run described = run("topics", "describe", "--topic", "logs");
        assertEquals(0, described.exit(), described.err());
        assertTrue(described.out().contains("Topic: logs\tId: ") && described.out().contains("Partitions: 3")
                && described.out().contains("Configs: retention.ms=1000"), described.out());
        assertTrue(described.out().contains("\tPartition: 2\tLeader: 1\tEpoch: 0\tReplicas: 1\tIsr: 1"),
                described.out());

        Run altered = run("topics", "alter", "--topic", "logs", "--config", "retention.ms=5", "--partitions", "4");
        assertEquals(0, altered.exit(), altered.err());
        assertTrue(altered.out().contains("Set retention.ms=5 on topic logs.")
                && altered.out().contains("Topic logs now has 4 partitions."), altered.out());

        assertEquals(0, run("topics", "delete", "--topic", "logs").exit());
        Run missing = run("topics", "describe", "--topic", "logs");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("UNKNOWN_TOPIC_OR_PARTITION: topic 'logs'"), missing.err());
    }

    @Test
    void producingToATopicThatDoesNotExistSaysSoInsteadOfBlamingTheNetwork() {
        // max.block.ms must outlast the first metadata answer on a new connection, or the timeout
        // knows no cause yet: 500 ms failed once in CI on the loaded 2-core box.
        Run produced = run("perf", "produce", "--topic", "nope", "--num-records", "1", "--record-size", "10",
                "--throughput", "-1", "--producer-property", "max.block.ms=5000");
        assertEquals(1, produced.exit());
        assertTrue(produced.err().contains("topic 'nope' was not found in the cluster's metadata")
                && produced.err().contains("(UNKNOWN_TOPIC_OR_PARTITION)")
                && produced.err().contains("'bin/sluice topics create'"), produced.err());
        assertFalse(produced.err().contains("no answer from the cluster"), produced.err());
        assertNoStackTrace(produced);
    }

    @Test
    void endToEndOnATopicThatDoesNotExistSaysSoInsteadOfBlamingTheNetwork() {
        Run e2e = run("perf", "e2e", "--topic", "nope", "--num-records", "1", "--consumer-property",
                "default.api.timeout.ms=5000");
        assertEquals(1, e2e.exit());
        assertTrue(e2e.err().contains("topic 'nope' was not found in the cluster's metadata within 5000 ms "
                + "(default.api.timeout.ms) (UNKNOWN_TOPIC_OR_PARTITION)")
                && e2e.err().contains("'bin/sluice topics create'"), e2e.err());
        assertFalse(e2e.err().contains("no answer from the cluster"), e2e.err());
        assertNoStackTrace(e2e);
    }

    @Test
    void produceThenConsumeWithKeysOffsetsAndGroups() {
        run("topics", "create", "--topic", "t", "--partitions", "1");
        Run produced = withInput("k1:first\nk2:second\nk3:third\n", "produce", "--topic", "t", "--key-separator", ":");
        assertEquals(0, produced.exit(), produced.err());
        assertEquals("Produced 3 records to t.\n", produced.err());

        Run partial = withInput("k4:fourth\nno separator here\n", "produce", "--topic", "t", "--key-separator", ":");
        assertEquals(1, partial.exit());
        assertTrue(partial.err().contains("1 of 2 records were not acknowledged")
                && partial.err().contains("line 2 has no key separator ':'"), partial.err());

        Run read = run("consume", "--topic", "t", "--from-beginning", "--max-messages", "2", "--print-key",
                "--print-offsets");
        assertEquals(0, read.exit(), read.err());
        assertEquals("Partition:0\tOffset:0\tk1\tfirst\nPartition:0\tOffset:1\tk2\tsecond\n", read.out());
        assertTrue(read.err().contains("Processed a total of 2 messages."), read.err());

        Run fromOffset = run("consume", "--topic", "t", "--offset", "2", "--max-messages", "2", "--timeout-ms",
                "30000");
        assertEquals("third\nfourth\n", fromOffset.out());

        Run grouped = run("consume", "--topic", "t", "--group", "billing", "--from-beginning", "--max-messages", "4",
                "--timeout-ms", "30000");
        assertEquals(0, grouped.exit(), grouped.err());
        assertEquals("first\nsecond\nthird\nfourth\n", grouped.out());

        Run groups = run("groups", "list");
        assertTrue(groups.out().contains("billing"), groups.out());
        Run describe = run("groups", "describe", "--group", "billing");
        assertEquals(0, describe.exit(), describe.err());
        assertTrue(describe.out().matches("(?s).*t\\s+0\\s+4\\s+4\\s+0.*") && describe.out().contains("Total lag: 0"),
                describe.out());

        Run reset = run("groups", "reset-offsets", "--group", "billing", "--topic", "t", "--to-offset", "1");
        assertEquals(0, reset.exit(), reset.err());
        assertTrue(run("groups", "describe", "--group", "billing").out().contains("Total lag: 3"));
        Run again = run("consume", "--topic", "t", "--group", "billing", "--max-messages", "3", "--timeout-ms",
                "30000");
        assertEquals("second\nthird\nfourth\n", again.out(), "the group resumes at the reset offset");

        assertEquals(0, run("groups", "delete", "--group", "billing").exit());
        Run gone = run("groups", "describe", "--group", "billing");
        assertEquals(1, gone.exit());
        assertTrue(gone.err().contains("GROUP_ID_NOT_FOUND"), gone.err());
    }

    @Test
    void clusterDescribeShowsBrokersAndHealth() {
        Run r = run("cluster", "describe");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Cluster: fake-cluster") && r.out().contains("Controller: 1")
                && r.out().contains(broker.address()) && r.out().contains("ACTIVE")
                && r.out().contains("Offline partitions: 0"), r.out());
    }

    @Test
    void producingToAMissingTopicFailsAtOnceWithAClearMessage() {
        Run r = withInput("a\n", "produce", "--topic", "nope");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("topic 'nope'"), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void anUnreachableClusterIsReportedClearlyAndFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SluiceCli.with(new CliEnvironment(ClientFactory.standard(), new ByteArrayInputStream(new byte[0]),
                action -> { })).run(List.of("topics", "list", "--bootstrap-server", "127.0.0.1:" + port,
                "--command-timeout-ms", "1500"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit);
        assertTrue(message.startsWith("sluice topics list: cannot reach the cluster at 127.0.0.1:" + port), message);
        assertTrue(message.contains("bin/sluice server --dev"), message);
        assertNoStackTrace(new Run(exit, "", message));
    }
}
