package io.sluice.client.perf;

import java.util.Map;

/**
 * What {@link EndToEndLatency} measures (Kafka EndToEndLatency's option names in brackets).
 *
 * @param topic            the topic to write and read [--topic]
 * @param numRecords       records to send and receive [--num-records]
 * @param recordSize       bytes of each value, at least 8 (the send time travels in it) [--record-size]
 * @param throughput       records per second on a fixed schedule; -1 sends one record at a time and
 *                         waits for it to arrive before the next, as Kafka's tool does
 * @param timeoutMs        how long to wait for a record to arrive [--timeout]
 * @param producerSettings the producer's settings
 * @param consumerSettings the consumer's settings
 */
public record EndToEndOptions(String topic, long numRecords, int recordSize, double throughput, long timeoutMs,
        Map<String, Object> producerSettings, Map<String, Object> consumerSettings) {
    public EndToEndOptions {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("a topic is required");
        }
        if (numRecords < 1 || recordSize < Long.BYTES || timeoutMs < 1 || (throughput <= 0 && throughput != -1)
                || Double.isNaN(throughput)) {
            throw new IllegalArgumentException("invalid end-to-end options");
        }
        producerSettings = Map.copyOf(producerSettings);
        consumerSettings = Map.copyOf(consumerSettings);
    }

    /** Whether records go on a fixed schedule rather than one at a time. */
    public boolean paced() {
        return throughput > 0;
    }
}
