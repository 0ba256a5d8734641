/**
 * Kafka-style ISR replication with leader epochs, as poll-driven cores with the network passed in:
 * the leader's tracking of follower progress, the ISR and the high watermark
 * ({@link io.sluice.broker.replication.LeaderReplicaTracker}); the divergence rules of KIP-101/279
 * ({@link io.sluice.broker.replication.Divergence}); the follower's fetchers
 * ({@link io.sluice.broker.replication.ReplicaFetcher}) over a
 * {@link io.sluice.broker.replication.ReplicaFetchTransport}; and the ISR change proposals sent to
 * the controller ({@link io.sluice.broker.replication.AlterPartitionManager}). See docs/replication.md.
 */
package io.sluice.broker.replication;
