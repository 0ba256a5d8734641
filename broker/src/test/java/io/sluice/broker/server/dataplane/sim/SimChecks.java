package io.sluice.broker.server.dataplane.sim;

import io.sluice.broker.log.InMemoryLog;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.partition.LeaderRole;
import io.sluice.broker.partition.Partition;
import io.sluice.broker.partition.ReplicaCheckpoint;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The safety properties the simulation checks while it runs, and the final ones after healing:
 * <ul>
 *   <li>a leader's high watermark never goes back within its epoch;</li>
 *   <li>below each replica's high watermark, every offset holds the same record on every replica
 *       that ever had it committed, and no replica ever truncates below a high watermark it had
 *       (committed records are never lost or rewritten);</li>
 *   <li>at the end: replicas' logs are identical, every acknowledged batch is in the log at its
 *       acknowledged offsets, no record is in the log twice, and every record a consumer saw is in
 *       the log at the offset it saw it at.</li>
 * </ul>
 */
final class SimChecks {
    private final List<String> violations = new ArrayList<>();
    /** The committed value at each offset, per partition, as first seen below some replica's HW. */
    private final Map<TopicIdPartition, Map<Long, String>> committed = new HashMap<>();
    /** Per broker and partition: offsets below this were verified as committed on that replica. */
    private final Map<ReplicaKey, Long> verified = new HashMap<>();
    /** Per broker incarnation, partition and leader epoch: the last high watermark seen. */
    private final Map<LeaderKey, Long> leaderHighWatermarks = new HashMap<>();

    private record ReplicaKey(int brokerId, TopicIdPartition id) {
    }

    private record LeaderKey(int brokerId, int incarnation, TopicIdPartition id, int leaderEpoch) {
    }

    void checkRunning(List<SimBroker> brokers) {
        for (SimBroker broker : brokers) {
            for (Map.Entry<TopicIdPartition, InMemoryLog> e : broker.disk.logs().entrySet()) {
                checkReplica(broker, e.getKey(), e.getValue());
            }
        }
    }

    private void checkReplica(SimBroker broker, TopicIdPartition id, InMemoryLog log) {
        long hw;
        if (broker.isUp() && broker.process().replicaManager().partition(id).isPresent()) {
            Partition partition = broker.process().replicaManager().partition(id).get();
            hw = partition.highWatermark();
            if (partition.role() instanceof LeaderRole leader) {
                LeaderKey key = new LeaderKey(broker.id, broker.incarnation(), id, leader.leaderEpoch());
                Long last = leaderHighWatermarks.put(key, hw);
                if (last != null && hw < last) {
                    violations.add("leader " + broker.id + " of " + id + " in epoch " + leader.leaderEpoch()
                            + ": high watermark went back from " + last + " to " + hw);
                }
            }
        } else {
            ReplicaCheckpoint checkpoint = broker.stateStore.load().get(id);
            hw = checkpoint == null ? 0 : Math.min(checkpoint.highWatermark(), log.logEndOffset());
        }
        ReplicaKey key = new ReplicaKey(broker.id, id);
        long from = verified.getOrDefault(key, 0L);
        if (log.logEndOffset() < from) {
            violations.add("broker " + broker.id + " truncated " + id + " to " + log.logEndOffset()
                    + " below offset " + from + " it had committed");
            verified.put(key, log.logEndOffset());
            return;
        }
        if (hw <= from) {
            return;
        }
        Map<Long, String> values = committed.computeIfAbsent(id, k -> new HashMap<>());
        for (Record r : records(log, from, hw)) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            String previous = values.putIfAbsent(r.offset(), value);
            if (previous != null && !previous.equals(value)) {
                violations.add("offset " + r.offset() + " of " + id + " is committed as '" + previous
                        + "' elsewhere but broker " + broker.id + " has '" + value + "' below its high watermark "
                        + hw);
            }
        }
        verified.put(key, hw);
    }

    /** Records with offsets in [from, to) of a log. */
    static List<Record> records(PartitionLog log, long from, long to) {
        List<Record> out = new ArrayList<>();
        long next = Math.max(from, log.logStartOffset());
        while (next < to) {
            ByteBuffer read = log.read(next, 1 << 20, to, true).records();
            if (!read.hasRemaining()) {
                break;
            }
            for (Record r : RecordBatches.records(read)) {
                if (r.offset() >= next && r.offset() < to) {
                    out.add(r);
                }
            }
            List<RecordBatch> batches = RecordBatches.split(read);
            next = batches.get(batches.size() - 1).nextOffset();
        }
        return out;
    }

    /** The final properties, on converged replicas. */
    void checkFinal(SimCluster cluster, List<SimProducer> producers, List<SimConsumer> consumers) {
        for (SimProducer producer : producers) {
            TopicIdPartition id = producer.partition();
            List<SimBroker> replicas = cluster.replicasOf(id);
            InMemoryLog reference = replicas.get(0).disk.get(id);
            for (SimBroker other : replicas) {
                if (!sameContent(reference, other.disk.get(id))) {
                    violations.add(id + ": the logs of brokers " + replicas.get(0).id + " and " + other.id + " differ");
                }
            }
            Map<Long, String> log = new HashMap<>();
            Map<String, Long> offsetsOfValues = new HashMap<>();
            for (Record r : records(reference, 0, reference.logEndOffset())) {
                String value = new String(r.value(), StandardCharsets.UTF_8);
                log.put(r.offset(), value);
                Long earlier = offsetsOfValues.put(value, r.offset());
                if (earlier != null) {
                    violations.add(id + ": record '" + value + "' is in the log twice, at " + earlier + " and "
                            + r.offset());
                }
            }
            for (SimProducer.Ack ack : producer.acked()) {
                for (int i = 0; i < ack.values().size(); i++) {
                    String found = log.get(ack.baseOffset() + i);
                    if (!ack.values().get(i).equals(found)) {
                        violations.add(id + ": acknowledged '" + ack.values().get(i) + "' at offset "
                                + (ack.baseOffset() + i) + " but the log has " + found);
                    }
                }
            }
            violations.addAll(producer.failures());
            for (SimConsumer consumer : consumers) {
                if (consumer.partition().equals(id)) {
                    consumer.seen().forEach((offset, value) -> {
                        if (!value.equals(log.get(offset))) {
                            violations.add(id + ": a consumer saw '" + value + "' at offset " + offset
                                    + " but the log has " + log.get(offset));
                        }
                    });
                    violations.addAll(consumer.failures());
                }
            }
        }
    }

    private static boolean sameContent(InMemoryLog a, InMemoryLog b) {
        if (a.logEndOffset() != b.logEndOffset()) {
            return false;
        }
        long from = Math.max(a.logStartOffset(), b.logStartOffset());
        ByteBuffer x = a.read(from, Integer.MAX_VALUE, Long.MAX_VALUE, true).records();
        ByteBuffer y = b.read(from, Integer.MAX_VALUE, Long.MAX_VALUE, true).records();
        return x.equals(y);
    }

    List<String> violations() {
        return violations;
    }
}
