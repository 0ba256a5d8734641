package io.sluice.client.perf;

import java.util.Map;

/**
 * What {@link ConsumerPerformance} reads (Kafka ConsumerPerformance's option names in brackets).
 *
 * @param topic               the topic to read [--topic]
 * @param numRecords          stop after this many records over all consumers [--num-records]
 * @param timeoutMs           a consumer stops after this long without a record [--timeout]
 * @param group               the consumer group all consumers join [--group]
 * @param consumers           consumer instances, each on its own thread, sharing the group
 * @param fromLatest          start at the end of partitions with no committed offset [--from-latest]
 * @param reportingIntervalMs how often to print a progress line with detailed stats [--reporting-interval]
 * @param showDetailedStats   print progress lines [--show-detailed-stats]
 * @param hideHeader          print no header line [--hide-header]
 * @param consumerSettings    settings of every consumer (bootstrap, fetch sizes, extras)
 */
public record ConsumerPerfOptions(String topic, long numRecords, long timeoutMs, String group, int consumers,
        boolean fromLatest, long reportingIntervalMs, boolean showDetailedStats, boolean hideHeader,
        Map<String, Object> consumerSettings) {
    public ConsumerPerfOptions {
        if (topic == null || topic.isEmpty() || group == null || group.isEmpty()) {
            throw new IllegalArgumentException("a topic and a group are required");
        }
        if (numRecords < 1 || timeoutMs < 1 || consumers < 1 || reportingIntervalMs < 1) {
            throw new IllegalArgumentException("invalid consumer benchmark options");
        }
        consumerSettings = Map.copyOf(consumerSettings);
    }
}
