package io.sluice.jepsen.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The queue workload's operation names ({@code f}) and the {@code value} of each, as the checker
 * reads them; {@code docs/chaos.md} ("History format") is the reference. Workloads and tests build
 * values here so that writer and checker cannot drift apart.
 *
 * <p>Field names: {@code topic}, {@code partition}, {@code key}, {@code value}, {@code offset} for
 * sends; {@code records} (topic-partition to {@code [offset, value]} pairs), {@code rebalances}
 * and {@code final} for polls; {@code partitions}, {@code seekToBeginning}, {@code topics},
 * {@code group}, {@code to} and {@code offsets} for the others.
 */
public final class QueueOps {
    /** Produce one unique value. */
    public static final String SEND = "send";
    /** One consumer poll. */
    public static final String POLL = "poll";
    /** Manual assignment of partitions to a consumer. */
    public static final String ASSIGN = "assign";
    /** Group subscription to topics; the group chooses the partitions. */
    public static final String SUBSCRIBE = "subscribe";
    /** A consumer moved its position. */
    public static final String SEEK = "seek";
    /** A consumer committed offsets. */
    public static final String COMMIT = "commit";
    /** The process's client was destroyed and a fresh one takes its place. */
    public static final String CRASH = "crash";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private QueueOps() {
    }

    /** A record as a poll returned it. */
    public record Polled(long offset, String value) {
    }

    /** A rebalance a subscribed consumer went through during a poll (its listener's callbacks). */
    public record Rebalance(List<TopicPartition> revoked, List<TopicPartition> assigned) {
        public Rebalance {
            revoked = List.copyOf(revoked);
            assigned = List.copyOf(assigned);
        }
    }

    /** A send's invocation (and its fail or info completion); partition null lets the partitioner choose. */
    public static ObjectNode send(String topic, Integer partition, String key, String value) {
        ObjectNode node = NODES.objectNode();
        node.put("topic", topic);
        node.put("partition", partition);
        node.put("key", key);
        node.put("value", value);
        return node;
    }

    /** A send's ok completion: where the value was written. */
    public static ObjectNode sendOk(String topic, int partition, String key, String value, long offset) {
        ObjectNode node = send(topic, partition, key, value);
        node.put("offset", offset);
        return node;
    }

    /** A poll's invocation; final marks the final reads after healing. */
    public static ObjectNode poll(boolean isFinal) {
        ObjectNode node = NODES.objectNode();
        if (isFinal) {
            node.put("final", true);
        }
        return node;
    }

    /** A poll's ok completion: the records per partition in the order returned, and rebalances. */
    public static ObjectNode pollOk(SortedMap<TopicPartition, List<Polled>> records, List<Rebalance> rebalances,
            boolean isFinal) {
        ObjectNode node = poll(isFinal);
        ObjectNode byPartition = node.putObject("records");
        records.forEach((tp, polled) -> {
            ArrayNode pairs = byPartition.putArray(tp.toString());
            polled.forEach(p -> pairs.addArray().add(p.offset()).add(p.value()));
        });
        if (!rebalances.isEmpty()) {
            ArrayNode events = node.putArray("rebalances");
            for (Rebalance rebalance : rebalances) {
                ObjectNode event = events.addObject();
                putPartitions(event, "revoked", rebalance.revoked());
                putPartitions(event, "assigned", rebalance.assigned());
            }
        }
        return node;
    }

    /** An assign's invocation and completion. */
    public static ObjectNode assign(Collection<TopicPartition> partitions, boolean seekToBeginning) {
        ObjectNode node = putPartitions(NODES.objectNode(), "partitions", partitions);
        node.put("seekToBeginning", seekToBeginning);
        return node;
    }

    /** A subscribe's invocation and completion. */
    public static ObjectNode subscribe(Collection<String> topics, String group) {
        ObjectNode node = NODES.objectNode();
        ArrayNode names = node.putArray("topics");
        topics.forEach(names::add);
        node.put("group", group);
        return node;
    }

    /** A seek's invocation and completion: to is "beginning", "end" or an offset. */
    public static ObjectNode seek(Collection<TopicPartition> partitions, String to) {
        ObjectNode node = putPartitions(NODES.objectNode(), "partitions", partitions);
        node.put("to", to);
        return node;
    }

    /** A commit's invocation and completion: the next offset to read, per partition. */
    public static ObjectNode commit(Map<TopicPartition, Long> offsets) {
        ObjectNode node = NODES.objectNode();
        ObjectNode byPartition = node.putObject("offsets");
        offsets.forEach((tp, offset) -> byPartition.put(tp.toString(), offset));
        return node;
    }

    private static ObjectNode putPartitions(ObjectNode node, String field, Collection<TopicPartition> partitions) {
        ArrayNode names = node.putArray(field);
        partitions.forEach(tp -> names.add(tp.toString()));
        return node;
    }
}
