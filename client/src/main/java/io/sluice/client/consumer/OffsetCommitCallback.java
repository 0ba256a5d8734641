package io.sluice.client.consumer;

import io.sluice.client.common.TopicPartition;
import java.util.Map;

/** Told when an asynchronous commit completed. Runs on the thread that calls {@code poll}. */
@FunctionalInterface
public interface OffsetCommitCallback {
    /**
     * @param offsets   what was committed (or attempted)
     * @param exception null on success, else why it failed
     */
    void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception exception);
}
