package io.sluice.jepsen.workload.internal;

import io.sluice.client.common.Serdes;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.consumer.ConsumerRecords;
import io.sluice.client.consumer.OffsetAndMetadata;
import io.sluice.client.consumer.SluiceConsumer;
import io.sluice.client.errors.CommitFailedException;
import io.sluice.jepsen.history.HistoryRecorder;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import io.sluice.jepsen.workload.QueueSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One consumer process, in one of two modes. {@code assign}: it picks partitions itself
 * (sometimes from the beginning), polls, now and then seeks one to its beginning or end, picks
 * new partitions, and commits in a group of its own kind (with no members, as the protocol allows
 * for assigned consumers). {@code subscribe}: it joins the consumer group and polls what the group
 * gives it, recording each rebalance its listener saw with the poll it happened in. Both commit
 * what they read every few polls and are crashed now and then: the client is closed (half the
 * time without waiting, like a process that dies, half the time cleanly) and a fresh one starts
 * from the committed offsets. A poll that throws is recorded as unknown and the client replaced.
 * Runs on its own thread until the workload stops.
 */
public final class ConsumerProcess implements Runnable {
    /** How a consumer gets its partitions. */
    public enum Mode {
        ASSIGN, SUBSCRIBE
    }

    /** The group of the assigned consumers' commits (not the subscribed consumers' group). */
    public static final String ASSIGN_GROUP = "chaos-assigned";
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration COMMIT_TIMEOUT = Duration.ofMillis(ClientSettings.API_TIMEOUT_MS);
    private static final long OP_GAP_MS = 30;

    private final WorkloadEnv env;
    private final Mode mode;
    private final int process;
    private final SplittableRandom random;
    private final QueueSettings settings;
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private Consumer<String, String> consumer;
    private RebalanceLog rebalances;
    private int incarnation;

    public ConsumerProcess(WorkloadEnv env, Mode mode, int process) {
        this.env = env;
        this.mode = mode;
        this.process = process;
        this.random = env.randomFor(process);
        this.settings = env.settings();
    }

    @Override
    public void run() {
        try {
            while (env.pause(random, OP_GAP_MS)) {
                step();
            }
        } finally {
            closeQuietly(Duration.ofSeconds(5));
        }
    }

    private void step() {
        if (consumer == null) {
            open();
            return;
        }
        int roll = random.nextInt(1000);
        if (random.nextInt(settings.crashEvery()) == 0) {
            crash();
        } else if (mode == Mode.ASSIGN && roll < 40) {
            assign();
        } else if (mode == Mode.ASSIGN && roll < 60) {
            seek();
        } else if (roll < 160) {
            commit();
        } else {
            poll();
        }
    }

    private void open() {
        incarnation++;
        String group = mode == Mode.ASSIGN ? ASSIGN_GROUP : settings.group();
        consumer = new SluiceConsumer<>(ClientSettings.consumer(env.bootstrap(), "chaos-consumer-" + process + "-"
                + incarnation, group, settings), Serdes.stringDeserializer(), Serdes.stringDeserializer());
        nextOffsets.clear();
        if (mode == Mode.ASSIGN) {
            assign();
        } else {
            subscribe();
        }
    }

    private void assign() {
        List<TopicPartition> chosen = new ArrayList<>();
        for (int p = 0; p < settings.partitions(); p++) {
            if (random.nextInt(2) == 0) {
                chosen.add(new TopicPartition(settings.topic(), p));
            }
        }
        if (chosen.isEmpty()) {
            chosen.add(new TopicPartition(settings.topic(), random.nextInt(settings.partitions())));
        }
        boolean fromBeginning = random.nextInt(3) == 0;
        Object value = QueueOps.assign(Names.of(chosen), fromBeginning);
        HistoryRecorder history = env.history();
        history.invoke(process, QueueOps.ASSIGN, value);
        try {
            consumer.assign(chosen);
            if (fromBeginning) {
                consumer.seekToBeginning(chosen);
            }
            history.complete(process, OpType.OK, QueueOps.ASSIGN, value, null);
        } catch (RuntimeException e) {
            history.complete(process, OpType.INFO, QueueOps.ASSIGN, value, Outcome.describe(e));
        }
        nextOffsets.keySet().retainAll(chosen);
        if (fromBeginning) {
            nextOffsets.clear();
        }
    }

    private void subscribe() {
        rebalances = new RebalanceLog();
        Object value = QueueOps.subscribe(List.of(settings.topic()), settings.group());
        env.history().invoke(process, QueueOps.SUBSCRIBE, value);
        try {
            consumer.subscribe(List.of(settings.topic()), rebalances);
            env.history().complete(process, OpType.OK, QueueOps.SUBSCRIBE, value, null);
        } catch (RuntimeException e) {
            env.history().complete(process, OpType.INFO, QueueOps.SUBSCRIBE, value, Outcome.describe(e));
        }
    }

    private void seek() {
        List<TopicPartition> assigned = new ArrayList<>(consumer.assignment());
        if (assigned.isEmpty()) {
            return;
        }
        TopicPartition tp = assigned.get(random.nextInt(assigned.size()));
        boolean beginning = random.nextBoolean();
        Object value = QueueOps.seek(List.of(Names.of(tp)), beginning ? "beginning" : "end");
        env.history().invoke(process, QueueOps.SEEK, value);
        try {
            if (beginning) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seekToEnd(List.of(tp));
            }
            env.history().complete(process, OpType.OK, QueueOps.SEEK, value, null);
        } catch (RuntimeException e) {
            env.history().complete(process, OpType.INFO, QueueOps.SEEK, value, Outcome.describe(e));
        }
        nextOffsets.remove(tp);
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        SortedMap<io.sluice.jepsen.history.TopicPartition, Long> recorded = new TreeMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            Long next = nextOffsets.get(tp);
            if (next != null) {
                offsets.put(tp, new OffsetAndMetadata(next));
                recorded.put(Names.of(tp), next);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        Object value = QueueOps.commit(recorded);
        env.history().invoke(process, QueueOps.COMMIT, value);
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            env.history().complete(process, OpType.OK, QueueOps.COMMIT, value, null);
        } catch (CommitFailedException e) {
            env.history().complete(process, OpType.FAIL, QueueOps.COMMIT, value, Outcome.describe(e));
        } catch (RuntimeException e) {
            env.history().complete(process, OpType.INFO, QueueOps.COMMIT, value, Outcome.describe(e));
        }
    }

    private void poll() {
        HistoryRecorder history = env.history();
        history.invoke(process, QueueOps.POLL, QueueOps.poll(false));
        ConsumerRecords<String, String> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (RuntimeException e) {
            history.complete(process, OpType.INFO, QueueOps.POLL, QueueOps.poll(false), Outcome.describe(e));
            crash();
            return;
        }
        List<QueueOps.Rebalance> events = rebalances == null ? List.of() : rebalances.drain();
        for (QueueOps.Rebalance event : events) {
            event.revoked().forEach(tp -> nextOffsets.remove(new TopicPartition(tp.topic(), tp.partition())));
        }
        history.complete(process, OpType.OK, QueueOps.POLL, QueueOps.pollOk(toPolled(records, nextOffsets), events,
                false), null);
    }

    /** The records per partition as the history writes them; advances {@code nextOffsets}. */
    static SortedMap<io.sluice.jepsen.history.TopicPartition, List<QueueOps.Polled>> toPolled(
            ConsumerRecords<String, String> records, Map<TopicPartition, Long> nextOffsets) {
        SortedMap<io.sluice.jepsen.history.TopicPartition, List<QueueOps.Polled>> out = new TreeMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<QueueOps.Polled> polled = new ArrayList<>();
            for (ConsumerRecord<String, String> r : records.records(tp)) {
                polled.add(new QueueOps.Polled(r.offset(), r.value()));
                nextOffsets.put(tp, r.offset() + 1);
            }
            out.put(Names.of(tp), polled);
        }
        return out;
    }

    private void crash() {
        closeQuietly(random.nextBoolean() ? Duration.ZERO : Duration.ofSeconds(5));
        env.recordCrash(process, "crashed by the workload");
    }

    private void closeQuietly(Duration timeout) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close(timeout);
        } catch (RuntimeException e) {
            env.log("consumer " + process + " did not close cleanly: " + Outcome.describe(e));
        }
        consumer = null;
        rebalances = null;
    }
}
