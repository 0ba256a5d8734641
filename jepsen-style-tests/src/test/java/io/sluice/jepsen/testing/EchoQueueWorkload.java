package io.sluice.jepsen.testing;

import io.sluice.jepsen.history.HistoryRecorder;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import io.sluice.jepsen.history.TopicPartition;
import io.sluice.jepsen.runner.Workload;
import io.sluice.jepsen.runner.WorkloadContext;
import io.sluice.jepsen.runner.WorkloadProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A queue workload against {@link EchoNode}s, for testing the runner before the SDK exists: a send
 * is an echo round trip to a node (refused: fail; timed out: info; answered: ok, appended to an
 * in-memory log of two partitions, which assigns the offset); a poll is an echo round trip too and
 * returns the log's next records. It records real latencies and real failures under real faults,
 * in the history format of the queue workload. With {@code loseAWrite}, reads never return offset
 * 1 of {@code queue-0}: the checker must call that a lost write. With {@code unfinishedFinalReads},
 * the final reads say they did not reach the end: the runner must call the run invalid.
 */
public final class EchoQueueWorkload implements Workload {
    private static final int TIMEOUT_MS = 500;
    private static final TopicPartition P0 = new TopicPartition("queue", 0);
    private static final TopicPartition P1 = new TopicPartition("queue", 1);

    private final boolean loseAWrite;
    private final boolean unfinishedFinalReads;
    private final Map<TopicPartition, List<String>> log = new TreeMap<>(Map.of(P0, new ArrayList<>(),
            P1, new ArrayList<>()));
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private HistoryRecorder history;
    private List<String> nodes;

    public EchoQueueWorkload(boolean loseAWrite, boolean unfinishedFinalReads) {
        this.loseAWrite = loseAWrite;
        this.unfinishedFinalReads = unfinishedFinalReads;
    }

    /** A provider for the runner. */
    public static WorkloadProvider provider(boolean loseAWrite) {
        return provider(loseAWrite, false);
    }

    /**
     * A provider for the runner; with {@code unfinishedFinalReads} the final reads report that they
     * did not reach every partition's end (as when a partition stays unreadable).
     */
    public static WorkloadProvider provider(boolean loseAWrite, boolean unfinishedFinalReads) {
        return new WorkloadProvider() {
            @Override
            public String name() {
                return loseAWrite ? "echo-lossy" : unfinishedFinalReads ? "echo-unfinished" : "echo";
            }

            @Override
            public String description() {
                return "echo round trips recorded as a queue history (tests only)";
            }

            @Override
            public Workload create() {
                return new EchoQueueWorkload(loseAWrite, unfinishedFinalReads);
            }
        };
    }

    @Override
    public void start(WorkloadContext context) {
        history = context.history();
        nodes = context.bootstrapServers();
        for (int process = 0; process < 2; process++) {
            int p = process;
            threads.add(new Thread(() -> produce(p), "producer-" + p));
        }
        threads.add(new Thread(this::consume, "consumer"));
        threads.forEach(Thread::start);
    }

    private void produce(int process) {
        for (int n = 0; running; n++) {
            String value = "v" + process + "-" + n;
            TopicPartition partition = n % 2 == 0 ? P0 : P1;
            history.invoke(process, QueueOps.SEND, QueueOps.send("queue", partition.partition(), null, value));
            String node = nodes.get((process + n) % nodes.size());
            try {
                ask(node, "echo " + value);
                long offset;
                synchronized (log) {
                    offset = log.get(partition).size();
                    log.get(partition).add(value);
                }
                history.complete(process, OpType.OK, QueueOps.SEND, QueueOps.sendOk("queue", partition.partition(),
                        null, value, offset), null);
            } catch (ConnectException e) {
                history.complete(process, OpType.FAIL, QueueOps.SEND, QueueOps.send("queue", partition.partition(),
                        null, value), "refused");
            } catch (IOException e) {
                history.complete(process, OpType.INFO, QueueOps.SEND, QueueOps.send("queue", partition.partition(),
                        null, value), "timeout");
            }
            pause();
        }
    }

    private void consume() {
        int process = 10;
        history.invoke(process, QueueOps.ASSIGN, QueueOps.assign(List.of(P0, P1), false));
        history.complete(process, OpType.OK, QueueOps.ASSIGN, QueueOps.assign(List.of(P0, P1), false), null);
        Map<TopicPartition, Integer> position = new TreeMap<>(Map.of(P0, 0, P1, 0));
        for (int n = 0; running; n++) {
            history.invoke(process, QueueOps.POLL, QueueOps.poll(false));
            try {
                ask(nodes.get(n % nodes.size()), "echo poll");
                history.complete(process, OpType.OK, QueueOps.POLL, QueueOps.pollOk(read(position, 10), List.of(),
                        false), null);
            } catch (ConnectException e) {
                history.complete(process, OpType.FAIL, QueueOps.POLL, QueueOps.poll(false), "refused");
            } catch (IOException e) {
                history.complete(process, OpType.INFO, QueueOps.POLL, QueueOps.poll(false), "timeout");
            }
            pause();
        }
    }

    /** The records from each position on (at most {@code max} per partition), advancing the positions. */
    private SortedMap<TopicPartition, List<QueueOps.Polled>> read(Map<TopicPartition, Integer> position, int max) {
        SortedMap<TopicPartition, List<QueueOps.Polled>> records = new TreeMap<>();
        synchronized (log) {
            for (Map.Entry<TopicPartition, Integer> at : position.entrySet()) {
                List<String> values = log.get(at.getKey());
                List<QueueOps.Polled> polled = new ArrayList<>();
                int offset = at.getValue();
                for (; offset < values.size() && polled.size() < max; offset++) {
                    if (!(loseAWrite && at.getKey().equals(P0) && offset == 1)) {
                        polled.add(new QueueOps.Polled(offset, values.get(offset)));
                    }
                }
                at.setValue(offset);
                if (!polled.isEmpty()) {
                    records.put(at.getKey(), polled);
                }
            }
        }
        return records;
    }

    private static void ask(String node, String line) throws IOException {
        int colon = node.lastIndexOf(':');
        StandIns.ask(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)), line, TIMEOUT_MS);
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop(long timeoutMs) throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(timeoutMs);
        }
    }

    @Override
    public boolean finalReads(long timeoutMs) {
        int process = 100;
        history.invoke(process, QueueOps.ASSIGN, QueueOps.assign(List.of(P0, P1), true));
        history.complete(process, OpType.OK, QueueOps.ASSIGN, QueueOps.assign(List.of(P0, P1), true), null);
        history.invoke(process, QueueOps.POLL, QueueOps.poll(true));
        Map<TopicPartition, Integer> position = new TreeMap<>(Map.of(P0, 0, P1, 0));
        history.complete(process, OpType.OK, QueueOps.POLL, QueueOps.pollOk(read(position, Integer.MAX_VALUE),
                List.of(), true), null);
        return !unfinishedFinalReads;
    }

    @Override
    public void close() {
        running = false;
    }
}
