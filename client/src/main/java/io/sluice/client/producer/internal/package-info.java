/**
 * Producer internals: the thread-safe {@link io.sluice.client.producer.internal.RecordAccumulator}
 * (per-partition batches, bounded by {@link io.sluice.client.producer.internal.BufferPool}), the
 * single-threaded {@link io.sluice.client.producer.internal.Sender} core and its driver thread,
 * the partitioner and the per-partition sequence rules. Not public API.
 */
package io.sluice.client.producer.internal;
