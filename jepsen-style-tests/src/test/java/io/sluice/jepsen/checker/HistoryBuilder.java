package io.sluice.jepsen.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import io.sluice.jepsen.history.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes queue-workload histories by hand for tests: topic {@code "queue"}, partitions by number,
 * each entry 1 ms after the previous one unless {@link #advanceMs} says otherwise.
 */
final class HistoryBuilder {
    static final String TOPIC = "queue";

    /** A record a poll returns. */
    record Rec(int partition, long offset, String value) {
    }

    private final List<Op> ops = new ArrayList<>();
    private long timeNs;

    static Rec rec(int partition, long offset, String value) {
        return new Rec(partition, offset, value);
    }

    static TopicPartition tp(int partition) {
        return new TopicPartition(TOPIC, partition);
    }

    List<Op> ops() {
        return List.copyOf(ops);
    }

    HistoryBuilder advanceMs(long ms) {
        timeNs += ms * 1_000_000L;
        return this;
    }

    HistoryBuilder add(int process, OpType type, String f, JsonNode value, String error) {
        timeNs += 1_000_000L;
        ops.add(new Op(ops.size(), timeNs, process, type, f, value, error));
        return this;
    }

    HistoryBuilder sendOk(int process, int partition, String value, long offset) {
        add(process, OpType.INVOKE, QueueOps.SEND, QueueOps.send(TOPIC, partition, null, value), null);
        return add(process, OpType.OK, QueueOps.SEND, QueueOps.sendOk(TOPIC, partition, null, value, offset), null);
    }

    HistoryBuilder sendFail(int process, int partition, String value) {
        return sendInvoke(process, partition, value).add(process, OpType.FAIL, QueueOps.SEND,
                QueueOps.send(TOPIC, partition, null, value), "NOT_ENOUGH_REPLICAS");
    }

    HistoryBuilder sendInfo(int process, int partition, String value) {
        return sendInvoke(process, partition, value).add(process, OpType.INFO, QueueOps.SEND,
                QueueOps.send(TOPIC, partition, null, value), "timeout");
    }

    HistoryBuilder sendInvoke(int process, int partition, String value) {
        return add(process, OpType.INVOKE, QueueOps.SEND, QueueOps.send(TOPIC, partition, null, value), null);
    }

    HistoryBuilder assign(int process, boolean seekToBeginning, int... partitions) {
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p : partitions) {
            assigned.add(tp(p));
        }
        JsonNode value = QueueOps.assign(assigned, seekToBeginning);
        add(process, OpType.INVOKE, QueueOps.ASSIGN, value, null);
        return add(process, OpType.OK, QueueOps.ASSIGN, value, null);
    }

    HistoryBuilder subscribe(int process, String group) {
        JsonNode value = QueueOps.subscribe(List.of(TOPIC), group);
        add(process, OpType.INVOKE, QueueOps.SUBSCRIBE, value, null);
        return add(process, OpType.OK, QueueOps.SUBSCRIBE, value, null);
    }

    HistoryBuilder seek(int process, int partition, String to) {
        JsonNode value = QueueOps.seek(List.of(tp(partition)), to);
        add(process, OpType.INVOKE, QueueOps.SEEK, value, null);
        return add(process, OpType.OK, QueueOps.SEEK, value, null);
    }

    HistoryBuilder commit(int process, int partition, long nextOffset) {
        return commit(process, Map.of(tp(partition), nextOffset));
    }

    HistoryBuilder commit(int process, Map<TopicPartition, Long> nextOffsets) {
        JsonNode value = QueueOps.commit(nextOffsets);
        add(process, OpType.INVOKE, QueueOps.COMMIT, value, null);
        return add(process, OpType.OK, QueueOps.COMMIT, value, null);
    }

    HistoryBuilder poll(int process, Rec... records) {
        return poll(process, List.of(), false, records);
    }

    HistoryBuilder finalPoll(int process, Rec... records) {
        return poll(process, List.of(), true, records);
    }

    HistoryBuilder pollWithRebalance(int process, List<Integer> revoked, List<Integer> assigned, Rec... records) {
        QueueOps.Rebalance rebalance = new QueueOps.Rebalance(revoked.stream().map(HistoryBuilder::tp).toList(),
                assigned.stream().map(HistoryBuilder::tp).toList());
        return poll(process, List.of(rebalance), false, records);
    }

    HistoryBuilder poll(int process, List<QueueOps.Rebalance> rebalances, boolean isFinal, Rec... records) {
        SortedMap<TopicPartition, List<QueueOps.Polled>> byPartition = new TreeMap<>();
        for (Rec r : records) {
            byPartition.computeIfAbsent(tp(r.partition()), p -> new ArrayList<>())
                    .add(new QueueOps.Polled(r.offset(), r.value()));
        }
        add(process, OpType.INVOKE, QueueOps.POLL, QueueOps.poll(isFinal), null);
        return add(process, OpType.OK, QueueOps.POLL, QueueOps.pollOk(byPartition, rebalances, isFinal), null);
    }

    HistoryBuilder pollInfo(int process) {
        add(process, OpType.INVOKE, QueueOps.POLL, QueueOps.poll(false), null);
        return add(process, OpType.INFO, QueueOps.POLL, QueueOps.poll(false), "timeout");
    }

    HistoryBuilder seekTo(int process, int partition, long offset) {
        return seek(process, partition, Long.toString(offset));
    }

    HistoryBuilder crash(int process) {
        return add(process, OpType.INFO, QueueOps.CRASH, null, "killed");
    }
}
