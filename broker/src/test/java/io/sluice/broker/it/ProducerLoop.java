package io.sluice.broker.it;

import io.sluice.broker.it.ReplicaLogs.Acked;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.PartitionProduceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A thread that keeps producing small batches to one partition, always to the leader it last found
 * in the metadata, and records every batch the leader acknowledged with its base offset. Failures
 * (a dead leader, NOT_LEADER, timeouts, NOT_ENOUGH_REPLICAS) make it look the leader up again and go
 * on; it is not idempotent, so a retried batch may be stored twice, but only acknowledged batches
 * count. Errors that no retry can fix are kept for the test to report. Thread-safe.
 */
final class ProducerLoop implements AutoCloseable {
    private static final List<ErrorCode> RETRIABLE = List.of(ErrorCode.ERROR_CODE_NOT_LEADER,
            ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
            ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS,
            ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND, ErrorCode.ERROR_CODE_NODE_NOT_READY);

    private final RawClient client;
    private final List<String> nodes;
    private final String topic;
    private final int partition;
    private final Acks acks;
    private final String prefix;
    private final Thread thread;
    private final List<Acked> acknowledged = new ArrayList<>();
    private final List<String> fatalErrors = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * Starts producing.
     *
     * @param nodes addresses to ask for metadata, in order, until one answers
     */
    ProducerLoop(RawClient client, List<String> nodes, String topic, int partition, Acks acks, String prefix) {
        this.client = client;
        this.nodes = List.copyOf(nodes);
        this.topic = topic;
        this.partition = partition;
        this.acks = acks;
        this.prefix = prefix;
        this.thread = new Thread(this::run, "producer-loop-" + prefix);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        String leader = null;
        for (int sequence = 0; !stopping; sequence++) {
            if (leader == null) {
                leader = findLeader();
                if (leader == null) {
                    pause(200);
                    continue;
                }
            }
            List<String> values = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                values.add(prefix + "-" + sequence + "-" + r);
            }
            byte[] batch = RawClient.batch(values);
            try {
                PartitionProduceResponse response = client.produce(leader, topic, partition, acks, batch, 10_000);
                if (response.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                    synchronized (this) {
                        acknowledged.add(new Acked(response.getBaseOffset(), batch));
                    }
                    continue;
                }
                if (!RETRIABLE.contains(response.getErrorCode())) {
                    synchronized (this) {
                        fatalErrors.add(response.getErrorCode() + ": " + response.getErrorMessage());
                    }
                }
            } catch (RuntimeException e) {
                // the leader is gone or did not answer in time: look it up again
            }
            leader = null;
            pause(100);
        }
    }

    private String findLeader() {
        for (String node : nodes) {
            try {
                PartitionMetadata p = client.withLeader(node, topic, partition);
                if (p != null) {
                    return client.brokerAddress(node, p.getLeaderId());
                }
            } catch (RuntimeException e) {
                // that node is down or frozen: ask the next
            }
        }
        return null;
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    synchronized List<Acked> acknowledged() {
        return List.copyOf(acknowledged);
    }

    synchronized int acknowledgedCount() {
        return acknowledged.size();
    }

    synchronized List<String> fatalErrors() {
        return List.copyOf(fatalErrors);
    }

    /** Stops producing and waits for the request in flight. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(TimeUnit.SECONDS.toMillis(120));
    }
}
