package io.sluice.jepsen.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The queue workload's knobs, read from {@code --workload-option key=value} pairs; every key has a
 * default fit for a chaos run on a small, busy machine. Unknown keys and bad values are refused, so
 * a typo cannot silently leave a default in force. Immutable.
 *
 * @param topic                the topic the workload creates and uses
 * @param partitions           its partition count
 * @param replicationFactor    its replication factor (default: 3, or the node count if smaller)
 * @param minInsyncReplicas    its {@code min.insync.replicas} (default: replication factor - 1, at least 1)
 * @param segmentBytes         its {@code segment.bytes}, small so that segments roll during a run
 * @param producers            producer clients; each is shared by {@code processesPerProducer} processes
 * @param processesPerProducer logical processes (threads, one send outstanding each) per producer client
 * @param assignConsumers      consumer processes that {@code assign} partitions themselves
 * @param groupConsumers       consumer processes that {@code subscribe} in the group {@code group}
 * @param group                the consumer group of the subscribed consumers
 * @param sendGapMs            mean pause of a producer process between two sends
 * @param paddingBytes         bytes of a header added to every record (not in the history), to fill segments
 * @param crashEvery           a client is crashed and recreated after about this many operations
 * @param deliveryTimeoutMs    the producers' {@code delivery.timeout.ms}
 * @param requestTimeoutMs     every client's {@code request.timeout.ms}
 */
public record QueueSettings(String topic, int partitions, int replicationFactor, int minInsyncReplicas,
        int segmentBytes, int producers, int processesPerProducer, int assignConsumers, int groupConsumers,
        String group, long sendGapMs, int paddingBytes, int crashEvery, long deliveryTimeoutMs,
        long requestTimeoutMs) {
    private static final Set<String> KEYS = Set.of("topic", "partitions", "replication-factor", "min-insync-replicas",
            "segment-bytes", "producers", "processes-per-producer", "assign-consumers", "group-consumers", "group",
            "send-gap-ms", "padding-bytes", "crash-every", "delivery-timeout-ms", "request-timeout-ms");

    public QueueSettings {
        if (partitions < 1 || replicationFactor < 1 || minInsyncReplicas < 1 || producers < 1
                || processesPerProducer < 1 || assignConsumers < 0 || groupConsumers < 0 || crashEvery < 1
                || sendGapMs < 0 || paddingBytes < 0 || deliveryTimeoutMs < requestTimeoutMs + 1000
                || requestTimeoutMs < 1000) {
            throw new IllegalArgumentException("bad queue workload settings: " + this);
        }
    }

    /**
     * The settings for a cluster of {@code nodes} nodes, with {@code options} applied.
     *
     * @throws IllegalArgumentException for an unknown key or a bad value
     */
    public static QueueSettings parse(Map<String, String> options, int nodes) {
        for (String key : options.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown queue workload option '" + key + "'; known: "
                        + new TreeSet<>(KEYS));
            }
        }
        Map<String, String> o = new LinkedHashMap<>(options);
        int replication = integer(o, "replication-factor", Math.min(3, nodes));
        return new QueueSettings(o.getOrDefault("topic", "queue"), integer(o, "partitions", 6), replication,
                integer(o, "min-insync-replicas", Math.max(1, replication - 1)),
                integer(o, "segment-bytes", 1 << 20), integer(o, "producers", 3),
                integer(o, "processes-per-producer", 2), integer(o, "assign-consumers", 2),
                integer(o, "group-consumers", 3), o.getOrDefault("group", "billing"),
                integer(o, "send-gap-ms", 20), integer(o, "padding-bytes", 256), integer(o, "crash-every", 400),
                integer(o, "delivery-timeout-ms", 20_000), integer(o, "request-timeout-ms", 5_000));
    }

    private static int integer(Map<String, String> options, String key, int fallback) {
        String text = options.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("queue workload option '" + key + "' must be a number, not '"
                    + text + "'", e);
        }
    }

    /** Producer processes in all. */
    public int producerProcesses() {
        return producers * processesPerProducer;
    }
}
