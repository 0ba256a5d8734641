package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.partition.FetchedRecords;
import java.util.List;

/** What reading one partition for a fetch gave: batches, or why not (exactly one is set). */
record PartitionRead(FetchedRecords records, Throwable error) {
    static PartitionRead of(FetchedRecords records) {
        return new PartitionRead(records, null);
    }

    static PartitionRead failed(Throwable error) {
        return new PartitionRead(null, error);
    }

    /** Bytes of batches over several reads. */
    static int totalBytes(List<PartitionRead> reads) {
        int total = 0;
        for (PartitionRead read : reads) {
            if (read.records() != null) {
                total += read.records().sizeInBytes();
            }
        }
        return total;
    }
}
