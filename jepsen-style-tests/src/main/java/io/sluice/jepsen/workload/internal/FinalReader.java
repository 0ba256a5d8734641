package io.sluice.jepsen.workload.internal;

import io.sluice.client.common.Serdes;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.ConsumerRecords;
import io.sluice.client.consumer.SluiceConsumer;
import io.sluice.common.Clock;
import io.sluice.jepsen.history.HistoryRecorder;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The final reads, after every fault healed: a fresh consumer (a new process number, no group)
 * assigns every partition from the beginning and polls, recorded with {@code "final": true}, at
 * least once (so the history shows the final reads happened even when every partition is empty)
 * and until its position in every partition reached the partition's end offset (high watermark), and
 * the end offsets asked again did not move. A new leader's high watermark may start behind its
 * predecessor's, hence the second look. Before that, every node's metadata must have caught up
 * ({@link MetadataConvergence}): a node that was cut off can still answer as the leader of an old
 * epoch, and a consumer that asks it would read only to that epoch's high watermark. A poll that
 * throws is recorded as unknown, and another fresh consumer starts over from the beginning. Used by
 * one thread.
 */
public final class FinalReader {
    /** The first process number of the final readers (the workload's own processes are below). */
    public static final int FIRST_PROCESS = 1000;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofMillis(ClientSettings.API_TIMEOUT_MS);

    private final WorkloadEnv env;
    private final Clock clock;
    private int nextProcess = FIRST_PROCESS;
    private String shortfall = "no attempt finished its first poll";

    public FinalReader(WorkloadEnv env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    /** After {@link #readAll} returned false: how far the last attempt got, or why it stopped. */
    public String shortfall() {
        return shortfall;
    }

    /** Reads every partition to its end; true when done before {@code timeoutMs}. */
    public boolean readAll(long timeoutMs) throws InterruptedException {
        long start = clock.monotonicMs();
        long deadline = start + timeoutMs;
        MetadataConvergence metadata = new MetadataConvergence(env.bootstrapServers(), env.settings().topic(), clock);
        if (!metadata.await(deadline)) {
            shortfall = "the nodes' metadata did not converge: " + metadata.state();
            env.log(shortfall);
            return false;
        }
        env.log("final reads: every node's metadata caught up after " + (clock.monotonicMs() - start) + " ms: "
                + metadata.state() + (metadata.firstState() == null ? "" : "; at first: " + metadata.firstState()));
        while (clock.monotonicMs() < deadline) {
            int process = nextProcess++;
            try (Consumer<String, String> consumer = new SluiceConsumer<>(ClientSettings.consumer(env.bootstrap(),
                    "chaos-final-" + process, null, env.settings()), Serdes.stringDeserializer(),
                    Serdes.stringDeserializer())) {
                if (readWith(consumer, process, deadline)) {
                    return true;
                }
            } catch (RuntimeException e) {
                shortfall = "final reader " + process + " gave up: " + Outcome.describe(e);
                env.log(shortfall);
            }
            clock.sleepMs(1_000);
        }
        return false;
    }

    /** One consumer's attempt; false when it must be replaced (or time ran out). */
    private boolean readWith(Consumer<String, String> consumer, int process, long deadline) {
        HistoryRecorder history = env.history();
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < env.settings().partitions(); p++) {
            all.add(new TopicPartition(env.settings().topic(), p));
        }
        Object assign = QueueOps.assign(Names.of(all), true);
        history.invoke(process, QueueOps.ASSIGN, assign);
        consumer.assign(all);
        consumer.seekToBeginning(all);
        history.complete(process, OpType.OK, QueueOps.ASSIGN, assign, null);
        Map<TopicPartition, Long> ends = endOffsets(consumer, all);
        while (clock.monotonicMs() < deadline) {
            if (!finalPoll(consumer, process)) {
                return false;
            }
            if (reachedEnds(consumer, ends)) {
                Map<TopicPartition, Long> again = endOffsets(consumer, all);
                if (again.equals(ends)) {
                    env.log("final reads: every partition read to its end " + new TreeMap<>(ends));
                    return true;
                }
                ends = again;
            }
        }
        return false;
    }

    private static Map<TopicPartition, Long> endOffsets(Consumer<String, String> consumer, List<TopicPartition> all) {
        return new HashMap<>(consumer.endOffsets(all));
    }

    private boolean reachedEnds(Consumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, String> behind = new TreeMap<>();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            long position = consumer.position(end.getKey(), LOOKUP_TIMEOUT);
            if (position < end.getValue()) {
                behind.put(end.getKey(), position + " of " + end.getValue());
            }
        }
        shortfall = "positions behind the end offsets: " + behind;
        return behind.isEmpty();
    }

    private boolean finalPoll(Consumer<String, String> consumer, int process) {
        HistoryRecorder history = env.history();
        history.invoke(process, QueueOps.POLL, QueueOps.poll(true));
        try {
            ConsumerRecords<String, String> records = consumer.poll(POLL_TIMEOUT);
            history.complete(process, OpType.OK, QueueOps.POLL, QueueOps.pollOk(
                    ConsumerProcess.toPolled(records, new HashMap<>()), List.of(), true), null);
            return true;
        } catch (RuntimeException e) {
            history.complete(process, OpType.INFO, QueueOps.POLL, QueueOps.poll(true), Outcome.describe(e));
            return false;
        }
    }
}
