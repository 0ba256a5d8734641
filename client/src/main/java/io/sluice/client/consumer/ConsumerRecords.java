package io.sluice.client.consumer;

import io.sluice.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records one {@code poll} returned, grouped by partition (each partition's records in offset
 * order). Immutable.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ConsumerRecords<K, V> implements Iterable<ConsumerRecord<K, V>> {
    private static final ConsumerRecords<?, ?> EMPTY = new ConsumerRecords<>(Map.of());

    private final Map<TopicPartition, List<ConsumerRecord<K, V>>> byPartition;

    public ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> byPartition) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> copy = new LinkedHashMap<>();
        byPartition.forEach((tp, records) -> copy.put(tp, List.copyOf(records)));
        this.byPartition = Collections.unmodifiableMap(copy);
    }

    /** No records. */
    @SuppressWarnings("unchecked")
    public static <K, V> ConsumerRecords<K, V> empty() {
        return (ConsumerRecords<K, V>) EMPTY;
    }

    /** The records of one partition (empty if none). */
    public List<ConsumerRecord<K, V>> records(TopicPartition partition) {
        return byPartition.getOrDefault(partition, List.of());
    }

    /** The records of one topic, partition by partition. */
    public List<ConsumerRecord<K, V>> records(String topic) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        byPartition.forEach((tp, records) -> {
            if (tp.topic().equals(topic)) {
                out.addAll(records);
            }
        });
        return out;
    }

    /** The partitions with records. */
    public Set<TopicPartition> partitions() {
        return byPartition.keySet();
    }

    /** Number of records. */
    public int count() {
        int n = 0;
        for (List<ConsumerRecord<K, V>> records : byPartition.values()) {
            n += records.size();
        }
        return n;
    }

    /** Whether there are none. */
    public boolean isEmpty() {
        return count() == 0;
    }

    @Override
    public Iterator<ConsumerRecord<K, V>> iterator() {
        List<ConsumerRecord<K, V>> all = new ArrayList<>();
        byPartition.values().forEach(all::addAll);
        return all.iterator();
    }
}
