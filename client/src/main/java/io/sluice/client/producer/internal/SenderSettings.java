package io.sluice.client.producer.internal;

import io.sluice.client.producer.ProducerConfig;
import io.sluice.proto.v1.Acks;

/**
 * The sender's settings, taken from {@link ProducerConfig}.
 *
 * @param acks                 replicas that must have a batch
 * @param idempotent           whether batches carry producer id, epoch and sequence numbers
 * @param requestTimeoutMs     how long one produce request may go unanswered
 * @param deliveryTimeoutMs    how long a batch may take from creation to outcome
 * @param maxBlockMs           how long a record may wait for its topic's metadata
 * @param maxRequestBytes      largest produce request
 * @param maxInFlightPerBroker requests in flight per broker
 * @param retries              retries per batch
 * @param clientId             sent with each request
 */
public record SenderSettings(Acks acks, boolean idempotent, int requestTimeoutMs, int deliveryTimeoutMs,
        long maxBlockMs, int maxRequestBytes, int maxInFlightPerBroker, int retries, String clientId) {
    /** The settings a producer configuration implies, with the client id actually used. */
    public static SenderSettings from(ProducerConfig config, String clientId) {
        return new SenderSettings(config.acks(), config.idempotenceEnabled(),
                config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS), config.deliveryTimeoutMs(),
                config.getLong(ProducerConfig.MAX_BLOCK_MS), config.getInt(ProducerConfig.MAX_REQUEST_SIZE),
                config.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION),
                config.getInt(ProducerConfig.RETRIES), clientId);
    }
}
