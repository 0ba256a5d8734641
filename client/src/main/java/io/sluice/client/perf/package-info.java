/**
 * Load generators for benchmarking a cluster, in the shape of Kafka's ProducerPerformance,
 * ConsumerPerformance and EndToEndLatency: {@link io.sluice.client.perf.ProducerPerformance},
 * {@link io.sluice.client.perf.ConsumerPerformance} and {@link io.sluice.client.perf.EndToEndLatency},
 * run by {@code bin/sluice perf produce|consume|e2e}. Latencies are measured without coordinated
 * omission: under a throughput cap, from each record's intended send time on the fixed schedule.
 */
package io.sluice.client.perf;
