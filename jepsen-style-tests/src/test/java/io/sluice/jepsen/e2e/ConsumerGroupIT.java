package io.sluice.jepsen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sluice.client.admin.GroupDescription;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.consumer.OffsetAndMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer groups against three real nodes: three members share six partitions while records flow;
 * one member, a child JVM, is SIGKILLed (it stops heartbeating without leaving); its partitions
 * move to the two others once its session expires, and the group consumes every produced record
 * at least once (nothing committed is skipped). Then the active controller, which coordinates
 * groups, is SIGKILLed: the committed offsets are the same on its successor, and the group goes on
 * consuming and committing.
 */
class ConsumerGroupIT {
    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final int PARTITIONS = 6;
    private static final Duration CHILD_JOIN = Duration.ofSeconds(180);

    // Kept when the test fails: the node logs under it explain why.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aCrashedMembersPartitionsMoveAndOffsetsSurviveAControllerFailover() throws Exception {
        Map<String, String> fastGroups = Map.of("group.session.timeout.ms", "6000",
                "group.heartbeat.interval.ms", "500");
        try (RealCluster cluster = RealCluster.start(dir, 3, fastGroups)) {
            cluster.createTopic(TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
            GroupMember.Recorder a = new GroupMember.Recorder();
            GroupMember.Recorder b = new GroupMember.Recorder();
            try (NumberedProducer producer = new NumberedProducer(cluster.bootstrap(), TOPIC, PARTITIONS, 20);
                    ChildMember child = new ChildMember(cluster.bootstrap(), GROUP, TOPIC, null,
                            dir.resolve("child.log"));
                    GroupMember memberA = GroupMember.start(GroupMember.settings(cluster.bootstrap(), GROUP, null),
                            TOPIC, a, "member-a");
                    GroupMember memberB = GroupMember.start(GroupMember.settings(cluster.bootstrap(), GROUP, null),
                            TOPIC, b, "member-b")) {
                // The child JVM is slow to start on a loaded machine: a longer wait for it to join.
                RealCluster.await("three members owning two partitions each, all consuming", CHILD_JOIN, () ->
                        child.recorder.owned.size() == 2 && a.owned.size() == 2 && b.owned.size() == 2
                                && !child.recorder.records.isEmpty() && !a.records.isEmpty() && !b.records.isEmpty());
                Set<TopicPartition> childOwned = Set.copyOf(child.recorder.owned);
                int before = child.recorder.records.size();
                RealCluster.await("the child to consume more", () -> child.recorder.records.size() > before + 20);
                child.kill();

                RealCluster.await("the two survivors owning all six partitions", () -> {
                    Set<TopicPartition> all = new HashSet<>(a.owned);
                    all.addAll(b.owned);
                    return all.size() == PARTITIONS && a.owned.size() == 3 && b.owned.size() == 3;
                });
                Map<TopicPartition, Integer> takenOver = new HashMap<>();
                childOwned.forEach(tp -> takenOver.put(tp, producer.sent(tp.partition())));
                RealCluster.await("the survivors consuming past where the child stopped", () ->
                        takenOver.entrySet().stream().allMatch(e -> consumedUpTo(e.getKey(), a, b) > e.getValue()));
                int[] produced = producer.stop();
                List<GroupMember.Recorder> group = List.of(child.recorder, a, b);
                GroupChecks.awaitCommitted(cluster, GROUP, TOPIC, produced);
                GroupChecks.assertEverythingConsumed(TOPIC, produced, group);

                Map<TopicPartition, OffsetAndMetadata> committed = cluster.admin().listGroupOffsets(GROUP).get();
                int controller = cluster.controller();
                cluster.kill(controller);
                int successor = cluster.controller();
                assertNotEquals(controller, successor);
                assertEquals(committed, cluster.admin().listGroupOffsets(GROUP).get(),
                        "the new controller has the same committed offsets");
                GroupDescription described = cluster.admin().describeGroup(GROUP).get();
                System.out.println("after failover: " + described);
                for (GroupDescription.PartitionLag lag : described.partitions()) {
                    assertEquals(produced[lag.topicPartition().partition()], lag.committedOffset(), lag.toString());
                }

                try (NumberedProducer more = new NumberedProducer(cluster.bootstrap(), TOPIC, PARTITIONS, 20)) {
                    RealCluster.await("a few more records", () -> more.sent(0) >= 20);
                    int[] second = more.stop();
                    int[] total = new int[PARTITIONS];
                    for (int p = 0; p < PARTITIONS; p++) {
                        total[p] = produced[p] + second[p];
                    }
                    System.out.println("member a: " + a.events + " errors " + a.errors);
                    System.out.println("member b: " + b.events + " errors " + b.errors);
                    try {
                        GroupChecks.awaitCommitted(cluster, GROUP, TOPIC, total);
                    } catch (AssertionError e) {
                        for (int p = 0; p < PARTITIONS; p++) {
                            TopicPartition tp = new TopicPartition(TOPIC, p);
                            System.out.println(tp + " consumed up to " + consumedUpTo(tp, a, b) + " of " + total[p]);
                        }
                        System.out.println("member a: " + a.events + " errors " + a.errors);
                        System.out.println("member b: " + b.events + " errors " + b.errors);
                        System.out.println("node logs kept under " + dir);
                        throw e;
                    }
                }
            }
        }
    }

    /** The highest offset of {@code tp} the members consumed, plus one (0 if none). */
    private static long consumedUpTo(TopicPartition tp, GroupMember.Recorder... members) {
        long max = 0;
        for (GroupMember.Recorder m : members) {
            for (ConsumerRecord<String, String> r : m.records) {
                if (r.topicPartition().equals(tp)) {
                    max = Math.max(max, r.offset() + 1);
                }
            }
        }
        return max;
    }
}
