/**
 * A partition replica above its log: idempotent-producer state now; the replica state machine
 * (leader, follower, offline) and high-watermark tracking follow with the broker.
 */
package io.sluice.broker.partition;
