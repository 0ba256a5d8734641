package io.sluice.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds one record batch in the format of {@code docs/record-batch.md}. Records are encoded as
 * they are appended into a growing buffer; {@link #build()} compresses the records section if
 * asked, writes the header and the CRC32C, and returns the batch. The base offset is written as 0
 * and the leader epoch as -1: the leader stamps both on append.
 *
 * <p>Not thread-safe; one builder makes one batch.
 */
public final class RecordBatchBuilder {
    private final CompressionType compression;
    private final TimestampType timestampType;
    private long producerId = -1;
    private short producerEpoch = -1;
    private int baseSequence = -1;

    /** The batch being built: header space first (written by {@link #build}), then the records. */
    private ByteBuffer records;
    private int count;
    private long baseTimestamp = -1;
    private long maxTimestamp = -1;
    private boolean built;

    public RecordBatchBuilder(CompressionType compression) {
        this(compression, TimestampType.CREATE_TIME);
    }

    public RecordBatchBuilder(CompressionType compression, TimestampType timestampType) {
        this(compression, timestampType, RecordBatch.HEADER_SIZE + 256);
    }

    /**
     * A builder that starts with room for {@code initialBytes} of batch (header included), so that a
     * batch that stays within it is never copied: uncompressed, {@link #build} returns that array.
     */
    public RecordBatchBuilder(CompressionType compression, TimestampType timestampType, int initialBytes) {
        if (!compression.isSupported()) {
            throw new IllegalArgumentException("compression " + compression.configName() + " is not supported");
        }
        this.compression = compression;
        this.timestampType = timestampType;
        this.records = ByteBuffer.allocate(Math.max(initialBytes, RecordBatch.HEADER_SIZE + 1))
                .position(RecordBatch.HEADER_SIZE);
    }

    /** Marks the batch as coming from an idempotent producer. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        if (producerId < 0 || producerEpoch < 0 || baseSequence < 0) {
            throw new IllegalArgumentException("producer id, epoch and base sequence must be >= 0");
        }
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    /** Appends a record without headers. */
    public RecordBatchBuilder append(long timestampMs, byte[] key, byte[] value) {
        return append(timestampMs, key, value, List.of());
    }

    /**
     * Appends a record. The first record's timestamp becomes the batch's base timestamp; others are
     * stored as deltas from it.
     */
    public RecordBatchBuilder append(long timestampMs, byte[] key, byte[] value, List<Header> headers) {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (timestampMs < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0, was " + timestampMs);
        }
        if (count == 0) {
            baseTimestamp = timestampMs;
        }
        maxTimestamp = Math.max(maxTimestamp, timestampMs);
        int bodySize = bodySize(timestampMs - baseTimestamp, count, key, value, headers);
        ensureCapacity(Varints.sizeOfVarint(bodySize) + bodySize);
        Varints.writeVarint(bodySize, records);
        records.put((byte) 0);
        Varints.writeVarlong(timestampMs - baseTimestamp, records);
        Varints.writeVarint(count, records);
        writeBytes(key);
        writeBytes(value);
        Varints.writeVarint(headers.size(), records);
        for (Header header : headers) {
            writeBytes(header.key().getBytes(StandardCharsets.UTF_8));
            writeBytes(header.value());
        }
        count++;
        return this;
    }

    /** Number of records appended so far. */
    public int recordCount() {
        return count;
    }

    /** Uncompressed bytes the batch would take if built now. */
    public int estimatedSizeInBytes() {
        return records.position();
    }

    /**
     * Finishes the batch. The returned buffer is positioned at 0 with the batch's size as limit; an
     * uncompressed batch is the builder's own array, not a copy.
     */
    public ByteBuffer build() {
        if (count == 0) {
            throw new IllegalStateException("a batch needs at least one record");
        }
        built = true;
        int recordBytes = records.position() - RecordBatch.HEADER_SIZE;
        ByteBuffer batch;
        if (compression == CompressionType.NONE) {
            batch = ByteBuffer.wrap(records.array(), 0, records.position()).slice();
        } else {
            byte[] section = compression.compress(records.array(), RecordBatch.HEADER_SIZE, recordBytes);
            batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + section.length);
            batch.put(RecordBatch.HEADER_SIZE, section);
        }
        batch.order(ByteOrder.BIG_ENDIAN);
        short attributes = (short) (compression.id()
                | (timestampType == TimestampType.LOG_APPEND_TIME ? RecordBatch.TIMESTAMP_TYPE_FLAG : 0));
        batch.putLong(0L)
                .putInt(batch.capacity() - RecordBatch.LOG_OVERHEAD)
                .putInt(-1)
                .put(RecordBatch.MAGIC)
                .putInt(0)
                .putShort(attributes)
                .putInt(count - 1)
                .putLong(baseTimestamp)
                .putLong(maxTimestamp)
                .putLong(producerId)
                .putShort(producerEpoch)
                .putInt(baseSequence)
                .putInt(count);
        int crcStart = RecordBatch.ATTRIBUTES_OFFSET;
        long crc = RecordBatch.crc32c(batch, crcStart, batch.capacity() - crcStart);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) crc);
        return batch.position(0);
    }

    private static int bodySize(long timestampDelta, int offsetDelta, byte[] key, byte[] value, List<Header> headers) {
        int size = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta)
                + sizeOfBytes(key) + sizeOfBytes(value) + Varints.sizeOfVarint(headers.size());
        for (Header header : headers) {
            size += sizeOfBytes(header.key().getBytes(StandardCharsets.UTF_8)) + sizeOfBytes(header.value());
        }
        return size;
    }

    private static int sizeOfBytes(byte[] bytes) {
        return bytes == null ? Varints.sizeOfVarint(-1) : Varints.sizeOfVarint(bytes.length) + bytes.length;
    }

    private void writeBytes(byte[] bytes) {
        if (bytes == null) {
            Varints.writeVarint(-1, records);
        } else {
            Varints.writeVarint(bytes.length, records);
            records.put(bytes);
        }
    }

    private void ensureCapacity(int extra) {
        if (records.remaining() < extra) {
            int needed = records.position() + extra;
            ByteBuffer grown = ByteBuffer.allocate(Math.max(needed, records.capacity() * 2));
            records.flip();
            grown.put(records);
            records = grown;
        }
    }
}
