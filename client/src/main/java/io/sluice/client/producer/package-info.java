/**
 * The producer: {@link io.sluice.client.producer.Producer} and its implementation
 * {@link io.sluice.client.producer.SluiceProducer}, records, callbacks, configuration, and the
 * Kafka-compatible murmur2 key partitioning. Batching and sending live in {@code internal}.
 */
package io.sluice.client.producer;
