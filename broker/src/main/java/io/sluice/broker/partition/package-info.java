/**
 * Partition replicas on a broker: the replica state machine ({@link io.sluice.broker.partition.Partition},
 * roles behind {@link io.sluice.broker.partition.ReplicaRole}, transitions decided in
 * {@link io.sluice.broker.partition.RoleTransitions}), idempotent-producer state, the persisted
 * epochs and high watermarks, and the {@link io.sluice.broker.partition.ReplicaManager} that applies
 * metadata and runs the replication core. See docs/replication.md.
 */
package io.sluice.broker.partition;
