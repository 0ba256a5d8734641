package io.sluice.client.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.metadata.TestClusters;
import io.sluice.client.producer.Murmur2;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionerTest {
    private final Cluster cluster = TestClusters.cluster(TestClusters.topic("t", 1, 2, 3, -1));

    @Test
    void keysGoWhereKafkaWouldPutThemEvenWithoutALeader() {
        Partitioner partitioner = new Partitioner(true, 100, new Random(3));
        for (int i = 0; i < 200; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            assertEquals(Murmur2.partitionForKey(key, 4), partitioner.partition("t", key, 10, cluster));
        }
    }

    @Test
    void stickyStaysUntilABatchWorthOfBytesThenMovesToAPartitionWithALeader() {
        Partitioner partitioner = new Partitioner(true, 100, new Random(3));
        List<Integer> choices = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            choices.add(partitioner.partition("t", null, 25, cluster));
        }
        for (int i = 0; i < 40; i += 4) {
            assertEquals(1, new HashSet<>(choices.subList(i, i + 4)).size(),
                    "4 records of 25 bytes fill 100: " + choices);
        }
        assertNotEquals(choices.get(0), choices.get(4));
        assertTrue(!choices.contains(3), "partition 3 has no leader");
    }

    @Test
    void stickyLeavesAPartitionWhoseLeaderWentAwayBeforeItsBatchIsFull() {
        Partitioner partitioner = new Partitioner(true, 100, new Random(3));
        int first = partitioner.partition("t", null, 25, cluster);
        assertEquals(first, partitioner.partition("t", null, 25, cluster));
        int[] leaders = {1, 2, 3, -1};
        leaders[first] = -1;
        Cluster leaderGone = TestClusters.cluster(TestClusters.topic("t", leaders));

        int next = partitioner.partition("t", null, 25, leaderGone);

        assertNotEquals(first, next, "partition " + first + " lost its leader with 50 of 100 bytes sent");
        assertNotEquals(3, next, "partition 3 has no leader");
        assertEquals(next, partitioner.partition("t", null, 25, leaderGone));
    }

    @Test
    void roundRobinVisitsEveryPartitionWithALeaderInTurn() {
        Partitioner partitioner = new Partitioner(false, 100, new Random(5));
        Set<Integer> firstThree = new HashSet<>();
        List<Integer> choices = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            choices.add(partitioner.partition("t", null, 10, cluster));
        }
        firstThree.addAll(choices.subList(0, 3));
        assertEquals(Set.of(0, 1, 2), firstThree);
        assertEquals(choices.subList(0, 3), choices.subList(3, 6));
    }
}
