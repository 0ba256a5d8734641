package io.sluice.metastore;

import static io.sluice.metastore.Commands.brokerState;
import static io.sluice.metastore.Commands.commit;
import static io.sluice.metastore.Commands.createTopic;
import static io.sluice.metastore.Commands.register;
import static io.sluice.metastore.Commands.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.metastore.internal.RatisMetaStore;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the Raft leader dies, a surviving node's next write goes to the new leader at once: its Ratis
 * client is re-aimed at the leader the local server knows instead of trying the dead one and then
 * the other peers in turn (several hundred milliseconds of sleeps and failed attempts, which a new
 * controller's first fencing command used to pay). The leader itself proposes its writes on its own
 * server, without its client.
 */
class LeaderChangeClientTest {
    /** No fencing while the test runs: the controller proposes nothing of its own. */
    private static final ControllerConfig QUIET_CONTROLLER =
            ControllerConfig.defaults().withSessionTimeoutMs(120_000).withProbeAfterMs(0);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void theFirstWriteAfterALeaderChangeNeedsNoRetryOnAnySurvivor() throws Exception {
        try (QuorumFixture quorum = new QuorumFixture(dir, 3, QUIET_CONTROLLER).requestTimeoutMs(5000)) {
            MetadataNode leader = startWithTopic(quorum, 1);
            // One write from every node, so that every node's client aims at the current leader.
            long offset = 0;
            for (MetadataNode n : quorum.running()) {
                assertCommitted(n.metaStore().submit(commit("g", uuid(0), 0, offset++)).get(30, TimeUnit.SECONDS));
            }
            Map<Integer, Long> retriedBefore = new HashMap<>();
            for (MetadataNode n : quorum.running()) {
                retriedBefore.put(n.nodeId(), store(n).retriedAttempts());
            }

            quorum.kill(leader.nodeId());
            MetadataNode newLeader = quorum.awaitLeader();
            assertNotEquals(leader.nodeId(), newLeader.nodeId());
            List<MetadataNode> survivors = quorum.running();
            for (MetadataNode n : survivors) {
                QuorumFixture.await(() -> n.metaStore().quorumInfo().leaderId() == newLeader.nodeId(), 30_000,
                        "node " + n.nodeId() + " to learn the new leader");
            }

            for (MetadataNode n : survivors) {
                long localBefore = store(n).localEntries();
                assertCommitted(n.metaStore().submit(commit("g", uuid(0), 0, offset++)).get(30, TimeUnit.SECONDS));
                assertEquals(retriedBefore.get(n.nodeId()), store(n).retriedAttempts(),
                        "Ratis client attempts retried on node " + n.nodeId() + " (the new leader is "
                        + newLeader.nodeId() + ")");
                assertEquals(n == newLeader ? localBefore + 1 : localBefore, store(n).localEntries(),
                        "entries node " + n.nodeId() + " proposed on its own server (the new leader is "
                        + newLeader.nodeId() + ")");
            }
            assertEquals(offset - 1, newLeader.metaStore().readLinearizable().get(30, TimeUnit.SECONDS)
                    .committedOffset("g", new TopicPartitionKey(uuid(0), 0)).getCommittedOffset());
        }
    }

    /**
     * Commits from several threads at once, each thread a run of increasing offsets of its own
     * partition, all on the leader and then all on a follower: the leader proposes every entry on its
     * own server (none through its Ratis client), the follower none; on both every partition ends at
     * its thread's last offset, and no entry overtook an earlier one of the same thread (a follower
     * sees every applied entry's offsets, which never go back).
     */
    @Test
    @Timeout(180)
    void theLeaderProposesItsOwnWritesOnItsServerAndKeepsTheirOrder() throws Exception {
        int partitions = 4;
        int perPartition = 200;
        try (QuorumFixture quorum = new QuorumFixture(dir, 3, QUIET_CONTROLLER).requestTimeoutMs(10_000)) {
            MetadataNode leader = startWithTopic(quorum, partitions);
            MetadataNode follower = quorum.running().stream().filter(n -> n != leader).findFirst().orElseThrow();
            for (MetadataNode n : List.of(leader, follower)) {
                RatisMetaStore s = store(n);
                long localBefore = s.localEntries();
                long sentBefore = s.sentCounts()[0];
                long retriedBefore = s.retriedAttempts();
                String group = "g" + n.nodeId();
                OffsetOrder order = new OffsetOrder(group, partitions);
                follower.metaStore().addListener(order);
                List<Thread> threads = new ArrayList<>();
                List<CompletableFuture<MetaResult>> answers = new CopyOnWriteArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    int partition = p;
                    Thread t = new Thread(() -> {
                        for (int offset = 0; offset < perPartition; offset++) {
                            answers.add(s.submit(commit(group, uuid(0), partition, offset)));
                            pause(offset % 10 == 9 ? 1 : 0); // entries of a few commands, several in flight
                        }
                    });
                    t.start();
                    threads.add(t);
                }
                for (Thread t : threads) {
                    t.join();
                }
                for (CompletableFuture<MetaResult> a : answers) {
                    assertCommitted(a.get(60, TimeUnit.SECONDS));
                }
                long sent = s.sentCounts()[0] - sentBefore;
                long local = s.localEntries() - localBefore;
                assertEquals(n == leader ? sent : 0, local, "entries node " + n.nodeId() + " proposed on its own "
                        + "server, of " + sent + " (leader " + leader.nodeId() + ")");
                assertEquals(retriedBefore, s.retriedAttempts(), "failed client attempts on node " + n.nodeId());
                MetadataImage image = leader.metaStore().readLinearizable().get(30, TimeUnit.SECONDS);
                for (int p = 0; p < partitions; p++) {
                    assertEquals(perPartition - 1, image.committedOffset(group, new TopicPartitionKey(uuid(0), p))
                            .getCommittedOffset(), "group " + group + " partition " + p);
                }
                follower.metaStore().removeListener(order);
                assertEquals(List.of(), order.wentBack(), "offsets applied on node " + follower.nodeId()
                        + " that were below the partition's previous one");
            }
        }
    }

    /**
     * A writer on every node commits increasing offsets of its own partition, several in flight, while
     * the leader is killed. Every survivor applies each partition's offsets without going back (no entry
     * overtook an earlier one of the same node, whether it went through the node's client or its own
     * server, before or after the new leader took over), every acknowledged offset is applied, and each
     * survivor's writes are acknowledged again after the kill.
     */
    @Test
    @Timeout(240)
    void commitsKeepTheirOrderWhileTheLeaderIsKilled() throws Exception {
        try (QuorumFixture quorum = new QuorumFixture(dir, 3, QUIET_CONTROLLER).requestTimeoutMs(5000)) {
            MetadataNode leader = startWithTopic(quorum, 3);
            List<MetadataNode> nodes = quorum.running();
            List<OffsetOrder> orders = new ArrayList<>();
            List<Writer> writers = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                OffsetOrder order = new OffsetOrder("g", nodes.size());
                nodes.get(i).metaStore().addListener(order);
                orders.add(order);
                writers.add(new Writer(nodes.get(i).metaStore(), i));
            }
            writers.forEach(Thread::start);
            Thread.sleep(3000);
            int killed = nodes.indexOf(leader);
            writers.get(killed).finish();
            quorum.kill(leader.nodeId());
            long[] sentAtKill = writers.stream().mapToLong(w -> w.sent.get()).toArray();
            MetadataNode newLeader = quorum.awaitLeader();
            for (int i = 0; i < nodes.size(); i++) {
                Writer w = writers.get(i);
                long after = sentAtKill[i];
                if (i != killed) {
                    QuorumFixture.await(() -> w.acked.get() > after, 60_000,
                            "an acknowledged commit of writer " + w.partition + " after the kill");
                }
            }
            for (Writer w : writers) {
                w.finish();
            }
            MetadataImage image = newLeader.metaStore().readLinearizable().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < nodes.size(); i++) {
                Writer w = writers.get(i);
                OffsetRecord applied = image.committedOffset("g", new TopicPartitionKey(uuid(0), w.partition));
                assertTrue(applied != null && applied.getCommittedOffset() >= w.acked.get(), "partition "
                        + w.partition + ": acknowledged up to " + w.acked.get() + ", applied " + applied);
                if (i != killed) {
                    assertEquals(List.of(), orders.get(i).wentBack(), "offsets applied on node "
                            + nodes.get(i).nodeId() + " below the partition's previous one (new leader "
                            + newLeader.nodeId() + ")");
                }
            }
        }
    }

    /** Commits offsets 0, 1, 2... of one partition of group "g", without waiting for the answers. */
    private static final class Writer extends Thread {
        final MetaStore store;
        final int partition;
        final AtomicLong sent = new AtomicLong(-1);
        /** The highest offset whose commit was acknowledged. */
        final AtomicLong acked = new AtomicLong(-1);
        private volatile boolean stopped;
        private final List<CompletableFuture<MetaResult>> answers = new ArrayList<>();

        Writer(MetaStore store, int partition) {
            this.store = store;
            this.partition = partition;
        }

        @Override
        public void run() {
            for (long offset = 0; !stopped; offset++) {
                long o = offset;
                CompletableFuture<MetaResult> answer = store.submit(commit("g", uuid(0), partition, o));
                answer.thenAccept(r -> {
                    if (r.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                        acked.accumulateAndGet(o, Math::max);
                    }
                });
                answers.add(answer);
                sent.set(o);
                pause(2);
            }
        }

        /** Stops sending and waits for every answer (the store answers each within its request timeout). */
        void finish() throws Exception {
            stopped = true;
            join(30_000);
            for (CompletableFuture<MetaResult> a : answers) {
                a.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Records every applied offset of group {@code group}'s partitions that is below the one before it. */
    private static final class OffsetOrder implements MetadataListener {
        private final String group;
        private final long[] last;
        private final List<String> wentBack = new CopyOnWriteArrayList<>();

        OffsetOrder(String group, int partitions) {
            this.group = group;
            this.last = new long[partitions];
            java.util.Arrays.fill(last, -1);
        }

        @Override
        public void onUpdate(MetadataUpdate update) {
            for (int p = 0; p < last.length; p++) {
                OffsetRecord r = update.image().committedOffset(group, new TopicPartitionKey(uuid(0), p));
                long offset = r == null ? -1 : r.getCommittedOffset();
                if (offset < last[p]) {
                    wentBack.add("partition " + p + ": " + last[p] + " then " + offset + " at index "
                            + update.index());
                }
                last[p] = Math.max(last[p], offset);
            }
        }

        List<String> wentBack() {
            return List.copyOf(wentBack);
        }
    }

    private static void pause(long ms) {
        if (ms == 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the voters, then registers broker 0 and creates topic "t" with {@code partitions} on it. */
    private static MetadataNode startWithTopic(QuorumFixture quorum, int partitions) throws Exception {
        quorum.startVoters();
        MetadataNode leader = quorum.awaitLeader();
        QuorumFixture.await(() -> !leader.metaStore().image().clusterId().isEmpty(), 30_000, "InitCluster");
        MetaStore store = leader.metaStore();
        MetaResult registered = store.submit(register(0, "inc")).get(30, TimeUnit.SECONDS);
        assertCommitted(registered);
        assertCommitted(store.submit(brokerState(0, registered.getBrokerRegistered().getBrokerEpoch(),
                BrokerState.BROKER_STATE_ACTIVE, List.of())).get(30, TimeUnit.SECONDS));
        assertCommitted(store.submit(createTopic("t", uuid(0), java.util.Collections.nCopies(partitions, List.of(0))))
                .get(30, TimeUnit.SECONDS));
        return leader;
    }

    private static RatisMetaStore store(MetadataNode n) {
        return (RatisMetaStore) n.metaStore();
    }

    private static void assertCommitted(MetaResult r) {
        assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.getErrorMessage());
    }
}
