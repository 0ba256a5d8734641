package io.sluice.client.consumer.internal;

import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.proto.v1.IsolationLevel;

/**
 * The fetcher's settings, from {@link ConsumerConfig}.
 *
 * @param maxWaitMs         how long a fetch may wait for {@code minBytes}
 * @param minBytes          bytes a fetch waits for
 * @param maxBytes          bytes one answer may carry
 * @param partitionMaxBytes bytes one partition may contribute
 * @param isolationLevel    which records are visible
 * @param requestTimeoutMs  how long an answer may take beyond {@code maxWaitMs}
 * @param checkCrcs         whether to check batch CRCs
 * @param clientId          sent with each request
 */
public record FetchSettings(int maxWaitMs, int minBytes, int maxBytes, int partitionMaxBytes,
        IsolationLevel isolationLevel, int requestTimeoutMs, boolean checkCrcs, String clientId) {
    /** The settings a consumer configuration implies. */
    public static FetchSettings from(ConsumerConfig config, String clientId) {
        return new FetchSettings(config.getInt(ConsumerConfig.FETCH_MAX_WAIT_MS),
                config.getInt(ConsumerConfig.FETCH_MIN_BYTES), config.getInt(ConsumerConfig.FETCH_MAX_BYTES),
                config.getInt(ConsumerConfig.MAX_PARTITION_FETCH_BYTES), config.isolationLevel(),
                config.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS), config.getBoolean(ConsumerConfig.CHECK_CRCS),
                clientId);
    }
}
