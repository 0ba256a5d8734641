/**
 * Partition log storage: the {@link io.sluice.broker.log.PartitionLog} contract, its Chronicle-Bytes
 * segment implementation and an in-memory one for simulations.
 */
package io.sluice.broker.log;
