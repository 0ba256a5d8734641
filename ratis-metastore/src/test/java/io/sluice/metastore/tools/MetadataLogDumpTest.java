package io.sluice.metastore.tools;

import static io.sluice.metastore.Commands.brokerState;
import static io.sluice.metastore.Commands.createTopic;
import static io.sluice.metastore.Commands.register;
import static io.sluice.metastore.Commands.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.metastore.MetadataNode;
import io.sluice.metastore.MetadataNodeConfig;
import io.sluice.metastore.QuorumFixture;
import io.sluice.metastore.QuorumPeer;
import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MetadataLogDump} over the real Raft log of a one-voter metadata node that ran and stopped:
 * every committed command decoded in log order, the filter by index, a flipped byte reported as a
 * corrupt entry, and bad usage refused.
 */
class MetadataLogDumpTest {
    @TempDir
    static Path dir;

    private static final int TOPICS = 150;

    private static Path nodeDir;

    private static String topic(int i) {
        return String.format("orders-%03d", i);
    }

    /** Runs a one-voter node, commits a few commands (over several 8 KiB segments), stops it. */
    @BeforeAll
    static void runNode() throws Exception {
        try (QuorumFixture quorum = new QuorumFixture(dir, 1, ControllerConfig.defaults())) {
            QuorumPeer voter = quorum.voters().get(0);
            // No snapshot in this run, so the log keeps every entry; small segments, so it rolls.
            MetadataNode node = quorum.start(MetadataNodeConfig.builder().nodeId(1).voters(quorum.voters())
                    .dataDir(dir.resolve("node-1")).raftEndpoint(voter.raftEndpoint())
                    .clientEndpoint(voter.clientEndpoint()).snapshotThreshold(1_000_000).logSegmentBytes(8 * 1024)
                    .controller(ControllerConfig.defaults()).build());
            quorum.awaitLeader();
            long epoch = submit(node, register(7, "incarnation-7")).getBrokerRegistered().getBrokerEpoch();
            submit(node, brokerState(7, epoch, BrokerState.BROKER_STATE_ACTIVE, List.of()));
            List<List<Integer>> replicas = List.of(List.of(7), List.of(7), List.of(7));
            for (int i = 0; i < TOPICS; i++) {
                submit(node, createTopic(topic(i), uuid(i), replicas));
            }
        }
        nodeDir = dir.resolve("node-1");
    }

    private static MetaResult submit(MetadataNode node, MetaCommand cmd) throws Exception {
        MetaResult result = node.metaStore().submit(cmd).get(30, TimeUnit.SECONDS);
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
        return result;
    }

    @Test
    void printsEveryCommittedCommandInLogOrder() throws IOException {
        Run run = run("--data-dir", nodeDir.toString());
        assertEquals(0, run.code, run.err);
        assertTrue(MetadataLogDump.segmentFiles(nodeDir).size() > 1, "the 8 KiB segments roll: several files");
        assertTrue(run.out.startsWith("# "), run.out);
        assertTrue(run.out.contains(" configuration voters=[1] listeners=[]"), run.out);
        assertTrue(run.out.contains(" init_cluster { cluster_id: \""), "the cluster id the node chose: " + run.out);
        assertTrue(run.out.contains(" register_broker { broker_id: 7 incarnation_id: \"incarnation-7\""), run.out);
        List<Long> indexes = new ArrayList<>();
        int topics = 0;
        for (String line : run.out.split("\n")) {
            if (!line.startsWith("#")) {
                indexes.add(Long.parseLong(line.substring(0, line.indexOf(' '))));
            }
            if (line.contains("create_topic { name: \"" + topic(topics) + "\"")) {
                topics++;
            }
        }
        assertEquals(TOPICS, topics, "every topic, in the order it was created");
        for (int i = 1; i < indexes.size(); i++) {
            assertEquals(indexes.get(i - 1) + 1, indexes.get(i), "indexes follow each other: " + indexes);
        }
        assertEquals(0L, indexes.get(0));
    }

    @Test
    void startsAtTheGivenIndexAndAcceptsTheGroupDirectory() throws IOException {
        Path current = MetadataLogDump.segmentFiles(nodeDir).get(0).getParent();
        Run run = run("--data-dir", current.getParent().toString(), "--from-index", "10");
        assertEquals(0, run.code, run.err);
        String[] lines = run.out.split("\n");
        assertTrue(lines[1].startsWith("10 term="), lines[1]);
        assertTrue(lines.length > 30, run.out);
    }

    @Test
    void reportsACorruptEntryAndStillPrintsTheOtherSegments(@TempDir Path copy) throws IOException {
        for (Path file : MetadataLogDump.segmentFiles(nodeDir)) {
            Files.copy(file, copy.resolve(file.getFileName()));
        }
        Path segment = null;
        int at = -1;
        for (Path file : MetadataLogDump.segmentFiles(copy)) {
            at = indexOf(Files.readAllBytes(file), topic(3).getBytes(StandardCharsets.US_ASCII));
            if (at >= 0) {
                segment = file;
                break;
            }
        }
        assertTrue(segment != null, "a segment holds topic " + topic(3));
        byte[] bytes = Files.readAllBytes(segment);
        bytes[at] ^= 0x20;
        Files.write(segment, bytes);

        Run run = run("--data-dir", copy.toString());
        assertEquals(1, run.code, run.out);
        assertTrue(run.err.contains(segment.getFileName() + ": the entry at byte "), run.err);
        assertTrue(run.err.contains("is corrupt"), run.err);
        assertTrue(!run.out.contains("\"" + topic(3) + "\"") && !run.out.contains("\"Orders-003\""),
                "the corrupt entry is not printed");
        assertTrue(run.out.contains("\"" + topic(TOPICS - 1) + "\""), "later segments are still printed");
    }

    @Test
    void refusesBadUsage(@TempDir Path scratch) throws IOException {
        assertEquals(2, run().code);
        assertEquals(2, run("--data-dir").code);
        assertEquals(2, run("--data-dir", nodeDir.toString(), "--from-index", "ten").code);
        assertEquals(2, run("--data-dir", scratch.resolve("missing").toString()).code);
        Path empty = Files.createDirectory(scratch.resolve("empty"));
        Run none = run("--data-dir", empty.toString());
        assertEquals(2, none.code);
        assertTrue(none.err.contains("no Raft log segment"), none.err);
        Run help = run("--help");
        assertEquals(0, help.code);
        assertTrue(help.out.startsWith("Usage: sluice dump-metadata-log"), help.out);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MetadataLogDump.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
