/**
 * Kafka-style ISR replication: the leader's tracking of follower progress, the in-sync replica set
 * and the high watermark. The follower fetcher and the partition state machine follow.
 */
package io.sluice.broker.replication;
