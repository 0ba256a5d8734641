package io.sluice.client.perf;

import java.util.Map;

/**
 * What {@link ProducerPerformance} sends (Kafka ProducerPerformance's option names in brackets).
 *
 * @param topic               the topic to write to [--topic]
 * @param numRecords          records to send over all producers; -1 when {@code durationMs} bounds the
 *                            run instead [--num-records]
 * @param durationMs          how long to send, in ms; 0 when {@code numRecords} bounds the run
 * @param recordSize          bytes of each record's value [--record-size]
 * @param throughput          records per second over all producers, -1 for no cap [--throughput]
 * @param producers           producer instances, each on its own thread with its share of records
 *                            and rate
 * @param warmupRecords       records at the start left out of the steady-state line [--warmup-records]
 * @param reportingIntervalMs how often to print a progress line [--reporting-interval]
 * @param producerSettings    the settings of every producer (bootstrap, acks, batching, extras)
 */
public record ProducerPerfOptions(String topic, long numRecords, long durationMs, int recordSize, double throughput,
        int producers, long warmupRecords, long reportingIntervalMs, Map<String, Object> producerSettings) {
    public ProducerPerfOptions {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("a topic is required");
        }
        if ((numRecords < 0) == (durationMs <= 0)) {
            throw new IllegalArgumentException("give either a number of records or a duration");
        }
        if (recordSize < 0 || producers < 1 || warmupRecords < 0 || reportingIntervalMs < 1
                || (throughput <= 0 && throughput != -1) || Double.isNaN(throughput)) {
            throw new IllegalArgumentException("invalid producer benchmark options");
        }
        producerSettings = Map.copyOf(producerSettings);
    }

    /** Whether the run is paced at a fixed rate. */
    public boolean paced() {
        return throughput > 0;
    }
}
