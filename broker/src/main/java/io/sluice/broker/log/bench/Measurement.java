package io.sluice.broker.log.bench;

/**
 * What one measurement moved and how long it took. Immutable.
 *
 * @param bytes  bytes written or read
 * @param nanos  elapsed nanoseconds, at least 1
 * @param events batches appended, reads made, or (for dd) 1 MiB blocks written
 */
record Measurement(long bytes, long nanos, long events) {
    Measurement {
        if (bytes < 0 || nanos < 1 || events < 0) {
            throw new IllegalArgumentException("bad measurement: " + bytes + " bytes in " + nanos + " ns");
        }
    }

    /** Throughput in MB/s (10^6 bytes per second, as dd reports). */
    double mbPerSecond() {
        return bytes * 1e3 / nanos;
    }

    /** Events per second. */
    double eventsPerSecond() {
        return events * 1e9 / nanos;
    }
}
