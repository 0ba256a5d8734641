/**
 * The consumer: {@link io.sluice.client.consumer.Consumer} and its implementation
 * {@link io.sluice.client.consumer.SluiceConsumer}, records, the rebalance listener, offsets and
 * configuration. Fetching, group membership (KIP-848) and commits live in {@code internal}.
 */
package io.sluice.client.consumer;
