package io.sluice.jepsen.checker;

import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.QueueOps;
import io.sluice.jepsen.history.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Simulates a correct log and the queue workload's clients against it, writing the history a
 * correct cluster would leave: sends acknowledged at the log's end (some failing, some unknown and
 * written or not), assigned consumers and a subscribed group reading contiguous ranges, commits,
 * seeks, reassignments, rebalances, client crashes, and final reads of every partition. Each
 * client waits for its operation, so entries come in invoke/complete pairs.
 */
final class QueueSimulation {
    static final int PARTITIONS = 3;
    static final int FINAL_READER = 99;
    private static final int[] PRODUCERS = {0, 1, 2};
    private static final int[] ASSIGNED = {10, 11};
    private static final int[] MEMBERS = {20, 21};

    private static final class Consumer {
        private final TreeSet<Integer> assigned = new TreeSet<>();
        private final Map<Integer, Long> positions = new HashMap<>();
        private final Map<Integer, Long> committed = new HashMap<>();
        private final List<QueueOps.Rebalance> pendingRebalances = new ArrayList<>();
    }

    private final Random random;
    private final HistoryBuilder history = new HistoryBuilder();
    private final List<List<String>> log = new ArrayList<>();
    private final Map<Integer, Consumer> consumers = new TreeMap<>();
    private final Map<Integer, Long> groupCommitted = new HashMap<>();
    private int nextValue;

    QueueSimulation(Random random) {
        this.random = random;
        for (int p = 0; p < PARTITIONS; p++) {
            log.add(new ArrayList<>());
        }
    }

    /** Runs this many random steps, then the final reads, and returns the history. */
    List<Op> run(int steps) {
        for (int process : ASSIGNED) {
            consumers.put(process, new Consumer());
            reassign(process);
        }
        for (int process : MEMBERS) {
            consumers.put(process, new Consumer());
            history.subscribe(process, "g");
        }
        rebalance();
        for (int i = 0; i < steps; i++) {
            history.advanceMs(random.nextInt(20));
            step(random.nextInt(100));
        }
        finalReads();
        return history.ops();
    }

    private void step(int dice) {
        if (dice < 40) {
            send();
        } else if (dice < 75) {
            poll(anyConsumer());
        } else if (dice < 82) {
            commit(anyConsumer());
        } else if (dice < 86) {
            reassign(ASSIGNED[random.nextInt(ASSIGNED.length)]);
        } else if (dice < 90) {
            seek(anyConsumer());
        } else if (dice < 94) {
            rebalance();
        } else if (dice < 98) {
            crashConsumer(anyConsumer());
        } else {
            history.crash(PRODUCERS[random.nextInt(PRODUCERS.length)]);
        }
    }

    private int anyConsumer() {
        List<Integer> processes = new ArrayList<>(consumers.keySet());
        return processes.get(random.nextInt(processes.size()));
    }

    private void send() {
        int process = PRODUCERS[random.nextInt(PRODUCERS.length)];
        int partition = random.nextInt(PARTITIONS);
        String value = "v" + nextValue++;
        int outcome = random.nextInt(10);
        if (outcome < 8) {
            history.sendOk(process, partition, value, log.get(partition).size());
            log.get(partition).add(value);
        } else if (outcome < 9) {
            history.sendFail(process, partition, value);
        } else {
            if (random.nextBoolean()) {
                log.get(partition).add(value);
            }
            history.sendInfo(process, partition, value);
        }
    }

    private void poll(int process) {
        Consumer consumer = consumers.get(process);
        List<HistoryBuilder.Rec> records = new ArrayList<>();
        for (int partition : consumer.assigned) {
            long position = consumer.positions.getOrDefault(partition, 0L);
            long end = Math.min(log.get(partition).size(), position + random.nextInt(5));
            for (long offset = position; offset < end; offset++) {
                records.add(HistoryBuilder.rec(partition, offset, log.get(partition).get((int) offset)));
            }
            consumer.positions.put(partition, Math.max(position, end));
        }
        history.poll(process, List.copyOf(consumer.pendingRebalances), false,
                records.toArray(HistoryBuilder.Rec[]::new));
        consumer.pendingRebalances.clear();
    }

    private void commit(int process) {
        Consumer consumer = consumers.get(process);
        Map<TopicPartition, Long> offsets = new TreeMap<>();
        for (int partition : consumer.assigned) {
            long position = consumer.positions.getOrDefault(partition, 0L);
            offsets.put(HistoryBuilder.tp(partition), position);
            (isMember(process) ? groupCommitted : consumer.committed).put(partition, position);
        }
        history.commit(process, offsets);
    }

    private void reassign(int process) {
        Consumer consumer = consumers.get(process);
        List<Integer> chosen = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            if (random.nextBoolean()) {
                chosen.add(p);
            }
        }
        consumer.assigned.retainAll(chosen);
        consumer.positions.keySet().retainAll(chosen);
        for (int partition : chosen) {
            consumer.positions.putIfAbsent(partition, consumer.committed.getOrDefault(partition, 0L));
        }
        consumer.assigned.addAll(chosen);
        history.assign(process, false, chosen.stream().mapToInt(Integer::intValue).toArray());
    }

    private void seek(int process) {
        Consumer consumer = consumers.get(process);
        if (consumer.assigned.isEmpty()) {
            return;
        }
        List<Integer> assigned = new ArrayList<>(consumer.assigned);
        int partition = assigned.get(random.nextInt(assigned.size()));
        long offset = random.nextInt(log.get(partition).size() + 1);
        consumer.positions.put(partition, offset);
        history.seekTo(process, partition, offset);
    }

    /** The group reassigns every partition (eagerly: members lose all, then get theirs). */
    private void rebalance() {
        Map<Integer, List<Integer>> next = new TreeMap<>();
        for (int member : MEMBERS) {
            next.put(member, new ArrayList<>());
        }
        for (int p = 0; p < PARTITIONS; p++) {
            next.get(MEMBERS[random.nextInt(MEMBERS.length)]).add(p);
        }
        next.forEach((member, partitions) -> {
            Consumer consumer = consumers.get(member);
            List<TopicPartition> revoked = consumer.assigned.stream().map(HistoryBuilder::tp).toList();
            consumer.assigned.clear();
            consumer.positions.clear();
            for (int partition : partitions) {
                consumer.assigned.add(partition);
                consumer.positions.put(partition, groupCommitted.getOrDefault(partition, 0L));
            }
            consumer.pendingRebalances.add(new QueueOps.Rebalance(revoked,
                    partitions.stream().map(HistoryBuilder::tp).toList()));
        });
    }

    private void crashConsumer(int process) {
        history.crash(process);
        Consumer fresh = new Consumer();
        Consumer old = consumers.put(process, fresh);
        fresh.committed.putAll(old.committed);
        if (isMember(process)) {
            history.subscribe(process, "g");
            rebalance();
        } else {
            fresh.assigned.addAll(old.assigned);
            old.assigned.forEach(p -> fresh.positions.put(p, fresh.committed.getOrDefault(p, 0L)));
            history.assign(process, false, old.assigned.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private void finalReads() {
        int[] all = new int[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            all[p] = p;
        }
        history.assign(FINAL_READER, true, all);
        long[] positions = new long[PARTITIONS];
        boolean more = true;
        while (more) {
            more = false;
            List<HistoryBuilder.Rec> records = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                long end = Math.min(log.get(p).size(), positions[p] + 7);
                for (long offset = positions[p]; offset < end; offset++) {
                    records.add(HistoryBuilder.rec(p, offset, log.get(p).get((int) offset)));
                }
                positions[p] = end;
                more |= end < log.get(p).size();
            }
            history.poll(FINAL_READER, Collections.emptyList(), true, records.toArray(HistoryBuilder.Rec[]::new));
        }
    }

    private static boolean isMember(int process) {
        for (int member : MEMBERS) {
            if (member == process) {
                return true;
            }
        }
        return false;
    }
}
