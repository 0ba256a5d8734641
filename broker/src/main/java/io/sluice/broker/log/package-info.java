/**
 * Partition log storage: the {@link io.sluice.broker.log.PartitionLog} contract, its Chronicle-Bytes
 * segment implementation ({@link io.sluice.broker.log.ChronicleLog}), an in-memory one for simulations
 * ({@link io.sluice.broker.log.InMemoryLog}), and the {@link io.sluice.broker.log.LogManager} that owns
 * a broker's data directory, with its maintenance thread and disk-full guard. On-disk formats, crash
 * policy and durability: {@code docs/storage.md}.
 */
package io.sluice.broker.log;
