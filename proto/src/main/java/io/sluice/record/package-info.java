/**
 * The record batch format (docs/record-batch.md) shared by producers, brokers and consumers:
 * {@link io.sluice.record.RecordBatchBuilder} writes batches, {@link io.sluice.record.RecordBatch}
 * validates and reads them, {@link io.sluice.record.RecordBatches} splits concatenated batches.
 */
package io.sluice.record;
