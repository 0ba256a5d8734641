package io.sluice.broker.group.internal;

import static io.sluice.broker.group.internal.AssignorFixtures.assertValid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.group.TopicIdPartition;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

/** The uniform assignor: valid, balanced, sticky, and a fixed point of itself. */
class UniformAssignorTest {
    private final UniformAssignor assignor = new UniformAssignor();

    private static IntSummaryStatistics sizes(Map<String, SortedSet<TopicIdPartition>> target) {
        return target.values().stream().mapToInt(SortedSet::size).summaryStatistics();
    }

    @Test
    void equalSubscriptionsAreBalancedWithinOne() {
        AssignorFixtures.Input input = new AssignorFixtures.Input().topic("t1", 7).topic("t2", 3)
                .member("a", "t1", "t2").member("b", "t1", "t2").member("c", "t1", "t2");
        Map<String, SortedSet<TopicIdPartition>> target = assignor.assign(input.build());
        assertValid(input.build(), target);
        assertEquals(3, sizes(target).getMin());
        assertEquals(4, sizes(target).getMax());
    }

    @Test
    void aJoiningMemberTakesOnlyWhatBalanceNeedsAndOthersKeepTheRest() {
        AssignorFixtures.Input input = new AssignorFixtures.Input().topic("t", 12).member("a", "t").member("b", "t")
                .member("c", "t");
        Map<String, SortedSet<TopicIdPartition>> before = assignor.assign(input.build());
        Map<String, SortedSet<TopicIdPartition>> after = assignor.assign(input.member("d", "t").previous(before)
                .build());
        assertValid(input.build(), after);
        assertEquals(3, after.get("d").size());
        for (String member : List.of("a", "b", "c")) {
            assertTrue(before.get(member).containsAll(after.get(member)), member + " only loses partitions");
            assertEquals(3, after.get(member).size());
        }
    }

    @Test
    void aLeavingMembersPartitionsAreSpreadAndNothingElseMoves() {
        AssignorFixtures.Input input = new AssignorFixtures.Input().topic("t", 10).member("a", "t").member("b", "t")
                .member("c", "t");
        Map<String, SortedSet<TopicIdPartition>> before = assignor.assign(input.build());
        Map<String, SortedSet<TopicIdPartition>> after = assignor.assign(input.without("b").previous(before).build());
        assertValid(input.build(), after);
        assertTrue(after.get("a").containsAll(before.get("a")));
        assertTrue(after.get("c").containsAll(before.get("c")));
        assertEquals(5, after.get("a").size());
        assertEquals(5, after.get("c").size());
    }

    @Test
    void partitionsOfTopicsGoneOrUnsubscribedAreDroppedFromThePrevious() {
        AssignorFixtures.Input input = new AssignorFixtures.Input().topic("t", 2).member("a", "t");
        Map<String, SortedSet<TopicIdPartition>> previous = Map.of("a", PartitionSets.union(
                AssignorFixtures.partitions("t", 0, 1, 5), AssignorFixtures.partitions("gone", 0)));
        Map<String, SortedSet<TopicIdPartition>> target = assignor.assign(input.previous(previous).build());
        assertEquals(AssignorFixtures.partitions("t", 0, 1), target.get("a"));
    }

    @Test
    void differentSubscriptionsGoOnlyToSubscribersAndNoMoveNarrowsAGap() {
        AssignorFixtures.Input input = new AssignorFixtures.Input().topic("t1", 6).topic("t2", 6)
                .member("a", "t1").member("b", "t1", "t2").member("c", "t2");
        Map<String, SortedSet<TopicIdPartition>> target = assignor.assign(input.build());
        assertValid(input.build(), target);
        assertEquals(4, sizes(target).getMax());
        assertEquals(4, sizes(target).getMin());
    }

    /**
     * Random groups, topics and changes: the result is always valid, balanced within one for equal
     * subscriptions, locally balanced otherwise, and unchanged when fed back. Seed printed; replay with
     * -Dsluice.seed=N.
     */
    @Test
    void randomGroupsKeepEveryProperty() {
        long seed = Long.getLong("sluice.seed", System.nanoTime());
        System.out.println("UniformAssignorTest seed=" + seed + " (replay with -Dsluice.seed=" + seed + ")");
        Random random = new Random(seed);
        Map<String, SortedSet<TopicIdPartition>> previous = Map.of();
        for (int round = 0; round < 300; round++) {
            boolean equalSubscriptions = random.nextBoolean();
            AssignorFixtures.Input input = new AssignorFixtures.Input();
            List<String> topics = new ArrayList<>();
            for (int t = 0; t < 1 + random.nextInt(4); t++) {
                topics.add("t" + t);
                input.topic("t" + t, 1 + random.nextInt(20));
            }
            for (int m = 0; m < 1 + random.nextInt(12); m++) {
                List<String> subscribed = equalSubscriptions ? topics
                        : topics.stream().filter(t -> random.nextInt(3) > 0).toList();
                input.member("m" + random.nextInt(16), subscribed.toArray(String[]::new));
            }
            AssignmentInput built = input.previous(previous).build();
            Map<String, SortedSet<TopicIdPartition>> target = assignor.assign(built);
            String context = "seed " + seed + " round " + round + " input " + built;
            assertValid(built, target);
            if (equalSubscriptions && !topics.isEmpty()) {
                assertTrue(sizes(target).getMax() - sizes(target).getMin() <= 1, context);
            }
            assertNoMoveNarrowsAGap(built, target, context);
            assertEquals(target, assignor.assign(input.previous(target).build()), "fixed point: " + context);
            previous = target;
        }
    }

    private static void assertNoMoveNarrowsAGap(AssignmentInput input, Map<String, SortedSet<TopicIdPartition>> target,
            String context) {
        target.forEach((donor, partitions) -> partitions.forEach(p -> input.members().values().forEach(other -> {
            boolean eligible = other.topicIds().contains(p.topicId()) && !other.memberId().equals(donor);
            assertTrue(!eligible || partitions.size() - target.get(other.memberId()).size() < 2,
                    () -> donor + " could give " + p + " to " + other.memberId() + ": " + context);
        })));
    }
}
