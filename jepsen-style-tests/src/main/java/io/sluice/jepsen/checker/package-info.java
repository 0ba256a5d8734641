/**
 * The history checker of the queue workload: reads a recorded history of sends and polls and
 * reports the anomalies Jepsen's Kafka workload defines (lost and unseen writes, duplicates,
 * inconsistent offsets, aborted reads, poll skips, non-monotonic polls and sends) with
 * examples, plus availability. {@code docs/chaos.md} defines the history format and each anomaly.
 */
package io.sluice.jepsen.checker;
