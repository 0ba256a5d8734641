package io.sluice.metastore;

import java.util.List;

/**
 * What one applied log entry (or one installed snapshot) changed: the image before and after and
 * the typed deltas between them, in the order they were made. Immutable.
 *
 * @param index        the log index now applied
 * @param previous     the image before
 * @param image        the image after
 * @param deltas       the changes, in order
 * @param fromSnapshot true when the change is a snapshot installation (deltas are then the
 *                     difference between the two images, not one command's effect)
 */
public record MetadataUpdate(long index, MetadataImage previous, MetadataImage image, List<MetadataDelta> deltas,
        boolean fromSnapshot) {
    public MetadataUpdate {
        deltas = List.copyOf(deltas);
    }
}
