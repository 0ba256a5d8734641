package io.sluice.broker.group.internal;

import static io.sluice.broker.group.internal.AssignorFixtures.assertValid;
import static io.sluice.broker.group.internal.AssignorFixtures.partitions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.broker.group.TopicIdPartition;
import java.util.Map;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

/** The range assignor: contiguous ranges per topic, co-partitioning, order stable for static members. */
class RangeAssignorTest {
    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void eachTopicIsCutIntoContiguousRangesTheFirstMembersGettingOneMore() {
        AssignorFixtures.Input input = new AssignorFixtures.Input().topic("t", 5).member("a", "t").member("b", "t");
        Map<String, SortedSet<TopicIdPartition>> target = assignor.assign(input.build());
        assertValid(input.build(), target);
        assertEquals(partitions("t", 0, 1, 2), target.get("a"));
        assertEquals(partitions("t", 3, 4), target.get("b"));
    }

    @Test
    void membersGetTheSamePartitionNumbersOfTopicsWithEqualCounts() {
        AssignorFixtures.Input input = new AssignorFixtures.Input().topic("left", 4).topic("right", 4)
                .member("a", "left", "right").member("b", "left", "right");
        Map<String, SortedSet<TopicIdPartition>> target = assignor.assign(input.build());
        assertEquals(PartitionSets.union(partitions("left", 0, 1), partitions("right", 0, 1)), target.get("a"));
        assertEquals(PartitionSets.union(partitions("left", 2, 3), partitions("right", 2, 3)), target.get("b"));
    }

    @Test
    void onlySubscribersShareATopic() {
        AssignorFixtures.Input input = new AssignorFixtures.Input().topic("t1", 3).topic("t2", 2)
                .member("a", "t1").member("b", "t1", "t2").member("c", "t2");
        Map<String, SortedSet<TopicIdPartition>> target = assignor.assign(input.build());
        assertValid(input.build(), target);
        assertEquals(partitions("t1", 0, 1), target.get("a"));
        assertEquals(PartitionSets.union(partitions("t1", 2), partitions("t2", 0)), target.get("b"));
        assertEquals(partitions("t2", 1), target.get("c"));
    }

    @Test
    void aRestartedStaticMemberGetsItsRangeBackUnderANewMemberId() {
        AssignorFixtures.Input before = new AssignorFixtures.Input().topic("t", 4).staticMember("zz-1", "host-a", "t")
                .staticMember("aa-1", "host-b", "t");
        Map<String, SortedSet<TopicIdPartition>> first = assignor.assign(before.build());
        assertEquals(partitions("t", 0, 1), first.get("zz-1"), "ordered by instance id, not member id");
        AssignorFixtures.Input after = new AssignorFixtures.Input().topic("t", 4).staticMember("00-2", "host-a", "t")
                .staticMember("aa-1", "host-b", "t");
        assertEquals(first.get("zz-1"), assignor.assign(after.build()).get("00-2"));
    }

    @Test
    void moreMembersThanPartitionsLeavesSomeEmpty() {
        AssignorFixtures.Input input = new AssignorFixtures.Input().topic("t", 2).member("a", "t").member("b", "t")
                .member("c", "t");
        Map<String, SortedSet<TopicIdPartition>> target = assignor.assign(input.build());
        assertValid(input.build(), target);
        assertEquals(PartitionSets.empty(), target.get("c"));
    }
}
