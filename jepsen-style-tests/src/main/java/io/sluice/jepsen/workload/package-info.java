/**
 * The queue workload of {@code sluice chaos}: producers and consumers of one topic, through the
 * Java SDK, recording every operation for the checker. {@link io.sluice.jepsen.workload.QueueWorkload}
 * is the workload, {@link io.sluice.jepsen.workload.QueueSettings} its options; the client processes,
 * the outcome classification, the final reads and the admin-backed leader locator are in
 * {@code internal}.
 */
package io.sluice.jepsen.workload;
