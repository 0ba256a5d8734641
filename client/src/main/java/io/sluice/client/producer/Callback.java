package io.sluice.client.producer;

/**
 * Told when a sent record was acknowledged or failed. Runs on the producer's I/O thread, in the
 * order the records of one partition were sent: keep it short and never block in it (hand heavy
 * work to an executor), or it delays every other send.
 */
@FunctionalInterface
public interface Callback {
    /**
     * @param metadata  where the record was written, or null if it failed
     * @param exception why it failed ({@link io.sluice.client.errors.SluiceException} subtypes), or null
     */
    void onCompletion(RecordMetadata metadata, Exception exception);
}
