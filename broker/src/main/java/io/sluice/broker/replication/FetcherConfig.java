package io.sluice.broker.replication;

/**
 * Bounds of a follower's replica fetches (Kafka's names in brackets).
 *
 * @param maxWaitMs         how long the leader may hold a fetch that finds nothing new
 *                          [replica.fetch.wait.max.ms]
 * @param minBytes          bytes the leader waits for before answering [replica.fetch.min.bytes]
 * @param maxBytes          record bytes per answer, over all partitions [replica.fetch.response.max.bytes]
 * @param partitionMaxBytes record bytes per partition per answer [replica.fetch.max.bytes]
 * @param backoffMs         pause after an error before fetching again [replica.fetch.backoff.ms]
 * @param requestTimeoutMs  how long an answer may take beyond {@code maxWaitMs} before the fetch is
 *                          abandoned and sent again
 */
public record FetcherConfig(int maxWaitMs, int minBytes, int maxBytes, int partitionMaxBytes, long backoffMs,
        long requestTimeoutMs) {
    /** Kafka's defaults. */
    public static final FetcherConfig DEFAULT = new FetcherConfig(500, 1, 10 << 20, 1 << 20, 1_000, 30_000);

    public FetcherConfig {
        if (maxWaitMs < 0 || minBytes < 0 || maxBytes < 1 || partitionMaxBytes < 1 || backoffMs < 0
                || requestTimeoutMs < 1) {
            throw new IllegalArgumentException("invalid fetcher config " + this);
        }
    }
}
