/**
 * Types shared by the producer, consumer and admin clients: {@link io.sluice.client.common.TopicPartition},
 * {@link io.sluice.client.common.Node}, serializers, and the configuration error type.
 */
package io.sluice.client.common;
