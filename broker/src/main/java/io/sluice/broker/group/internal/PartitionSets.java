package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicCatalog;
import io.sluice.broker.group.TopicIdPartition;
import io.sluice.broker.group.TopicInfo;
import io.sluice.proto.internal.v1.PartitionList;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.TopicPartitionSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Sets of partitions as the coordinator handles them ({@code SortedSet<TopicIdPartition>}, never
 * modified once built) and their conversions to the wire and storage forms. Stateless.
 */
public final class PartitionSets {
    private static final SortedSet<TopicIdPartition> EMPTY = Collections.unmodifiableSortedSet(new TreeSet<>());

    private PartitionSets() {
    }

    /** The empty set. */
    public static SortedSet<TopicIdPartition> empty() {
        return EMPTY;
    }

    /** An unmodifiable sorted copy. */
    public static SortedSet<TopicIdPartition> of(Collection<TopicIdPartition> partitions) {
        return partitions.isEmpty() ? EMPTY : Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    }

    /** {@code a} without the elements of {@code b}. */
    public static SortedSet<TopicIdPartition> minus(SortedSet<TopicIdPartition> a, Collection<TopicIdPartition> b) {
        TreeSet<TopicIdPartition> result = new TreeSet<>(a);
        result.removeAll(b);
        return of(result);
    }

    /** The elements of {@code a} also in {@code b}. */
    public static SortedSet<TopicIdPartition> intersect(SortedSet<TopicIdPartition> a,
            Collection<TopicIdPartition> b) {
        TreeSet<TopicIdPartition> result = new TreeSet<>(a);
        result.retainAll(b);
        return of(result);
    }

    /** The elements of either set. */
    public static SortedSet<TopicIdPartition> union(SortedSet<TopicIdPartition> a, Collection<TopicIdPartition> b) {
        TreeSet<TopicIdPartition> result = new TreeSet<>(a);
        result.addAll(b);
        return of(result);
    }

    /** Whether the sets share an element. */
    public static boolean intersects(Collection<TopicIdPartition> a, Collection<TopicIdPartition> b) {
        Collection<TopicIdPartition> smaller = a.size() <= b.size() ? a : b;
        Collection<TopicIdPartition> larger = smaller == a ? b : a;
        for (TopicIdPartition partition : smaller) {
            if (larger.contains(partition)) {
                return true;
            }
        }
        return false;
    }

    /** The storage form: topic id to ascending partition indexes. */
    public static Map<String, PartitionList> toRecord(SortedSet<TopicIdPartition> partitions) {
        Map<String, PartitionList> result = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> topic : byTopic(partitions).entrySet()) {
            result.put(topic.getKey(), PartitionList.newBuilder().addAllPartitions(topic.getValue()).build());
        }
        return result;
    }

    /** The set stored as {@link #toRecord}. */
    public static SortedSet<TopicIdPartition> fromRecord(Map<String, PartitionList> stored) {
        TreeSet<TopicIdPartition> result = new TreeSet<>();
        stored.forEach((topicId, list) -> list.getPartitionsList()
                .forEach(partition -> result.add(new TopicIdPartition(topicId, partition))));
        return of(result);
    }

    /** The wire form, with topic names from the catalog (empty for a topic it no longer has). */
    public static Assignment toAssignment(SortedSet<TopicIdPartition> partitions, TopicCatalog catalog) {
        return toAssignment(partitions, id -> catalog.topicById(id).map(TopicInfo::name).orElse(""));
    }

    /** The wire form, with topic names from {@code names} (empty for a topic it does not have). */
    public static Assignment toAssignment(SortedSet<TopicIdPartition> partitions, Map<String, String> names) {
        return toAssignment(partitions, id -> names.getOrDefault(id, ""));
    }

    private static Assignment toAssignment(SortedSet<TopicIdPartition> partitions, Function<String, String> names) {
        Assignment.Builder assignment = Assignment.newBuilder();
        for (Map.Entry<String, List<Integer>> topic : byTopic(partitions).entrySet()) {
            String name = names.apply(topic.getKey());
            assignment.addTopicPartitions(TopicPartitionSet.newBuilder().setTopicId(topic.getKey())
                    .setTopicName(name).addAllPartitions(topic.getValue()));
        }
        return assignment.build();
    }

    /**
     * The set a member reports. The caller has validated it ({@link RequestValidator}): non-empty topic
     * ids and non-negative partitions.
     */
    public static SortedSet<TopicIdPartition> fromAssignment(Assignment assignment) {
        TreeSet<TopicIdPartition> result = new TreeSet<>();
        for (TopicPartitionSet topic : assignment.getTopicPartitionsList()) {
            topic.getPartitionsList().forEach(partition -> result.add(new TopicIdPartition(topic.getTopicId(),
                    partition)));
        }
        return of(result);
    }

    /** Partitions grouped by topic id, both ascending. */
    public static SortedMap<String, List<Integer>> byTopic(Collection<TopicIdPartition> partitions) {
        TreeMap<String, List<Integer>> result = new TreeMap<>();
        for (TopicIdPartition partition : new TreeSet<>(partitions)) {
            result.computeIfAbsent(partition.topicId(), k -> new ArrayList<>()).add(partition.partition());
        }
        return result;
    }
}
