package io.sluice.record;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One record as decoded from a batch.
 *
 * @param offset      the record's offset in its partition
 * @param timestampMs milliseconds since the epoch (CreateTime or LogAppendTime, per the batch)
 * @param key         the key, or null
 * @param value       the value, or null (a tombstone)
 * @param headers     the headers, in order, never null
 */
public record Record(long offset, long timestampMs, byte[] key, byte[] value, List<Header> headers) {
    public Record {
        headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r
                && offset == r.offset
                && timestampMs == r.timestampMs
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value)
                && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(offset);
        h = 31 * h + Long.hashCode(timestampMs);
        h = 31 * h + Arrays.hashCode(key);
        h = 31 * h + Arrays.hashCode(value);
        return 31 * h + headers.hashCode();
    }

    @Override
    public String toString() {
        return "Record[offset=" + offset + ", timestampMs=" + timestampMs
                + ", key=" + (key == null ? "null" : key.length + " bytes")
                + ", value=" + (value == null ? "null" : value.length + " bytes")
                + ", headers=" + headers + "]";
    }
}
