package io.sluice.broker.it;

import static io.sluice.broker.it.ClusterIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.it.ReplicaLogs.Acked;
import io.sluice.broker.it.ReplicaLogs.StoredBatch;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.PartitionMetadata;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last in-sync replica of a partition dies, and comes back. Node 1, the only voter, keeps the
 * metadata quorum; the partition lives on broker-only nodes 2 (preferred leader) and 3, with
 * min.insync.replicas=1, so one replica alone acknowledges writes. Each round: the follower is
 * SIGKILLed and fenced (ISR = leader), a tail is acknowledged by the leader alone, then the leader
 * is SIGKILLed (the partition goes offline, the leader its only eligible leader, as the metadata
 * answer's {@code eligible_leader_replicas} shows).
 *
 * <p>Round 1, a plain SIGKILL: the page cache kept the leader's writes, its log is intact, it is
 * elected again when it returns and every acknowledged value is read back. Round 2, a simulated
 * power loss: the acknowledged tail is cut from the leader's segment and its {@code logs/boot-id}
 * made an earlier boot's. It must not be elected, nor the out-of-sync follower: the partition stays
 * offline (KIP-966's rule) rather than serve a log that lost acknowledged writes.
 */
class UncleanRestartIT {
    private static final String TOPIC = "last-replica";
    private static final int LEADER = 2;
    private static final int FOLLOWER = 3;

    @TempDir
    Path dir;

    @Test
    void aLastInSyncReplicaLeadsAgainAfterAKillButNotAfterLosingWrites() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses(dir.resolve("cluster"), 3, 1, Map.of());
                RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            nodes.step("cluster ready: voter 1, brokers 2 and 3");
            String any = nodes.node(1).address();
            CreateTopicResult created = client.createAssigned(any, TOPIC, List.of(LEADER, FOLLOWER),
                    Map.of("min.insync.replicas", "1"));
            assertEquals(ErrorCode.ERROR_CODE_NONE, created.getErrorCode(), created.getErrorMessage());
            String topicId = client.topicId(any, TOPIC);
            List<Acked> acked = new ArrayList<>();
            List<String> values = new ArrayList<>();

            // Round 1: the leader is SIGKILLed with writes only it holds; its log is intact.
            await(() -> client.inSync(any, TOPIC, 0, 2), "both replicas in sync");
            produce(client, any, "both", acked, values);
            isolateTheLeaderThenKillIt(nodes, client, any, acked, values, "tail-1");
            nodes.start(LEADER);
            nodes.awaitReady(LEADER, 180_000);
            PartitionMetadata back = await(() -> client.withLeader(any, TOPIC, 0), "a leader after the kill");
            assertEquals(LEADER, back.getLeaderId(), "the last in-sync replica, intact, leads again");
            await(() -> client.readAll(nodes.node(LEADER).address(), TOPIC, 0).containsAll(values) ? true : null,
                    "every acknowledged value read back");
            ClusterIT.assertContains(nodes.log(LEADER), "the machine kept its writes");
            nodes.start(FOLLOWER);
            nodes.awaitReady(FOLLOWER, 180_000);
            await(() -> client.inSync(any, TOPIC, 0, 2), "the follower back in sync");
            nodes.step("round 1: leader " + LEADER + " elected again with all " + values.size() + " values");

            // Round 2: the same, but the leader also loses what it acknowledged last, as after a power loss.
            List<Acked> before = new ArrayList<>(acked);
            isolateTheLeaderThenKillIt(nodes, client, any, acked, values, "tail-2");
            List<Acked> lostTail = acked.subList(before.size(), acked.size());
            Path scratch = Files.createDirectories(dir.resolve("leader-copy"));
            List<StoredBatch> stored = ReplicaLogs.readCopy(nodes.dataDir(LEADER), topicId, 0, scratch);
            ReplicaLogs.assertHoldsAcknowledged("the killed leader", stored, acked);
            cutBefore(nodes.dataDir(LEADER), topicId, stored, lostTail.get(0).baseOffset());
            Files.writeString(nodes.dataDir(LEADER).resolve("logs").resolve("boot-id"), "an-earlier-boot\n");
            nodes.step("leader's unflushed tail from offset " + lostTail.get(0).baseOffset()
                    + " discarded, its recorded boot id made an earlier one (a power loss)");
            nodes.start(LEADER);
            nodes.start(FOLLOWER);
            nodes.awaitReady(LEADER, 180_000);
            nodes.awaitReady(FOLLOWER, 180_000);
            ClusterIT.assertContains(nodes.log(LEADER), "the machine has restarted since");
            nodes.step("both replicas back and active");
            // Elections happen when a broker is unfenced; both are ready (active) now. Give the
            // controller time to act on it, and check it never elects either.
            for (int i = 0; i < 20; i++) {
                PartitionMetadata p = client.partition(any, TOPIC, 0);
                assertEquals(-1, p.getLeaderId(), "no replica holding every acknowledged write is back, yet "
                        + p.getLeaderId() + " was elected: " + p);
                assertEquals(List.of(), p.getEligibleLeaderReplicasList(), "the power-lost leader is ineligible: " + p);
                Thread.sleep(500);
            }
            nodes.step("the partition stayed offline");
        }
    }

    /** Kills the follower, waits until the ISR is the leader alone, has it acknowledge a tail, kills it. */
    private static void isolateTheLeaderThenKillIt(NodeProcesses nodes, RawClient client, String any,
            List<Acked> acked, List<String> values, String tail) throws Exception {
        nodes.kill(FOLLOWER);
        await(() -> {
            PartitionMetadata p = client.withLeader(any, TOPIC, 0);
            return p != null && p.getLeaderId() == LEADER && p.getIsrList().equals(List.of(LEADER)) ? p : null;
        }, "the ISR shrunk to the leader");
        produce(client, any, tail, acked, values);
        nodes.kill(LEADER);
        PartitionMetadata offline = await(() -> {
            PartitionMetadata p = client.partition(any, TOPIC, 0);
            return p != null && p.getLeaderId() < 0 ? p : null;
        }, "the partition offline");
        assertEquals(List.of(), offline.getIsrList(), "a fenced broker is in no ISR: " + offline);
        assertEquals(List.of(LEADER), offline.getEligibleLeaderReplicasList(),
                "the last in-sync replica is listed as the eligible leader: " + offline);
        nodes.step("follower then leader killed; " + tail + " acknowledged by the leader alone");
    }

    private static void produce(RawClient client, String any, String prefix, List<Acked> acked, List<String> values)
            throws InterruptedException {
        for (int b = 0; b < 3; b++) {
            List<String> batch = List.of(prefix + "-" + b + "-0", prefix + "-" + b + "-1");
            byte[] bytes = RawClient.batch(batch);
            acked.add(await(() -> {
                PartitionMetadata p = client.withLeader(any, TOPIC, 0);
                return p == null ? null : client.produceOrNull(client.brokerAddress(any, p.getLeaderId()), TOPIC, 0,
                        bytes);
            }, "an acknowledged write"));
            values.addAll(batch);
        }
    }

    /** Cuts the replica's single segment just before the batch at {@code offset}, as a lost page cache would. */
    private static void cutBefore(Path dataDir, String topicId, List<StoredBatch> stored, long offset)
            throws Exception {
        long position = 0;
        for (StoredBatch b : stored) {
            if (b.baseOffset() >= offset) {
                break;
            }
            position += b.bytes().length;
        }
        Path segment = ReplicaLogs.partitionDir(dataDir, topicId, 0).resolve("00000000000000000000.log");
        assertTrue(Files.exists(segment), "one segment: " + segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(position);
        }
    }
}
