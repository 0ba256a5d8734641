package io.sluice.jepsen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.consumer.OffsetAndMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks of what a consumer group did, shared by the group tests. Stateless. */
final class GroupChecks {
    private GroupChecks() {
    }

    /** Waits until the group's committed offset of each partition {@code p} of the topic is {@code produced[p]}. */
    static void awaitCommitted(RealCluster cluster, String group, String topic, int[] produced)
            throws InterruptedException {
        RealCluster.await("group " + group + " to commit every partition to its end", () -> {
            Map<TopicPartition, OffsetAndMetadata> offsets = cluster.admin().listGroupOffsets(group).get();
            long[] committed = new long[produced.length];
            boolean done = true;
            for (int p = 0; p < produced.length; p++) {
                OffsetAndMetadata o = offsets.get(new TopicPartition(topic, p));
                committed[p] = o == null ? -1 : o.offset();
                done &= committed[p] == produced[p];
            }
            if (!done) {
                // Thrown, not returned: the last one explains a time-out.
                throw new IllegalStateException("committed " + Arrays.toString(committed) + ", produced "
                        + Arrays.toString(produced));
            }
            return offsets;
        });
    }

    /**
     * Each record produced by a {@link NumberedProducer} was consumed at least once by some member,
     * at the offset where the producer's order puts it ({@code p:n} at offset n), and no offset
     * was seen with two values.
     */
    static void assertEverythingConsumed(String topic, int[] produced, List<GroupMember.Recorder> members) {
        Map<TopicPartition, TreeMap<Long, String>> seen = new HashMap<>();
        List<String> conflicts = new ArrayList<>();
        for (GroupMember.Recorder m : members) {
            for (ConsumerRecord<String, String> r : m.records) {
                String previous = seen.computeIfAbsent(r.topicPartition(), tp -> new TreeMap<>())
                        .put(r.offset(), r.value());
                if (previous != null && !previous.equals(r.value())) {
                    conflicts.add(r.topicPartition() + "@" + r.offset() + ": " + previous + " and " + r.value());
                }
            }
        }
        assertEquals(List.of(), conflicts, "no offset was seen with two values");
        for (int p = 0; p < produced.length; p++) {
            TreeMap<Long, String> got = seen.getOrDefault(new TopicPartition(topic, p), new TreeMap<>());
            List<Long> missing = new ArrayList<>();
            for (long o = 0; o < produced[p]; o++) {
                if (!(p + ":" + o).equals(got.get(o))) {
                    missing.add(o);
                }
            }
            assertTrue(missing.isEmpty(), "partition " + p + ": offsets not consumed (or with another value) "
                    + missing.subList(0, Math.min(20, missing.size())) + " of " + produced[p]);
        }
    }
}
