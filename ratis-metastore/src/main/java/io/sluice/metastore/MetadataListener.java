package io.sluice.metastore;

/**
 * Receives every change to the metadata, in log order, on the node's single apply thread. Calls
 * must be quick and must not block or wait for the metadata store (hand work to your own thread);
 * an exception is logged and does not stop other listeners.
 */
@FunctionalInterface
public interface MetadataListener {
    /** Called after {@code update.image()} became the store's current image. */
    void onUpdate(MetadataUpdate update);
}
