/**
 * The queue workload's parts: producer and consumer processes, how a failed operation is recorded
 * ({@link io.sluice.jepsen.workload.internal.Outcome}), the final reader, the client settings, the
 * topic set-up and the leader locator backed by the admin client.
 */
package io.sluice.jepsen.workload.internal;
