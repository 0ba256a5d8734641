package io.sluice.record;

import io.sluice.proto.v1.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A read view over one record batch in a {@link ByteBuffer}, in the format of
 * {@code docs/record-batch.md}: a 61-byte big-endian header followed by the records section.
 *
 * <p>Header accessors read straight from the buffer and never copy. {@link #validate} checks the
 * header and the CRC without looking at individual records (what a broker does on produce);
 * {@link #records()} decodes and checks every record (what a consumer does). The view does not
 * own the buffer and is not thread-safe; the buffer's content must not change while it is used,
 * except through the {@code set*} methods meant for the leader.
 */
public final class RecordBatch {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    /** Size of the header; the records section starts here. */
    public static final int HEADER_SIZE = 61;
    /** Bytes before the length field's end: a batch occupies {@code LOG_OVERHEAD + length()}. */
    public static final int LOG_OVERHEAD = 12;
    /** The only format version this code reads and writes. */
    public static final byte MAGIC = 2;
    /** Hard ceiling on records decoded from one batch, whatever its header claims. */
    public static final int MAX_RECORDS_PER_BATCH = 1 << 24;
    /** Hard ceiling on a records section after decompression (guards against zip bombs). */
    public static final int MAX_UNCOMPRESSED_BYTES = 256 << 20;

    static final int COMPRESSION_MASK = 0x07;
    static final int TIMESTAMP_TYPE_FLAG = 0x08;
    static final int TRANSACTIONAL_FLAG = 0x10;
    static final int CONTROL_FLAG = 0x20;

    private final ByteBuffer buffer;

    private RecordBatch(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * A view over exactly the batch at the start of {@code buffer}: its remaining bytes must hold
     * one whole batch and nothing else. Checks only that the length field agrees; call
     * {@link #validate} before trusting anything else.
     */
    public static RecordBatch wrap(ByteBuffer buffer) {
        ByteBuffer b = buffer.slice().order(ByteOrder.BIG_ENDIAN);
        if (b.remaining() < HEADER_SIZE) {
            throw RecordBatchException.invalid("batch of " + b.remaining()
                    + " bytes is shorter than the " + HEADER_SIZE + "-byte header");
        }
        long size = LOG_OVERHEAD + (long) b.getInt(LENGTH_OFFSET);
        if (size != b.remaining()) {
            throw RecordBatchException.invalid("batch length field says " + size
                    + " bytes but " + b.remaining() + " were given"
                    + (size < b.remaining() ? " (trailing bytes)" : " (truncated)"));
        }
        return new RecordBatch(b);
    }

    /** A view over the whole of {@code bytes}. */
    public static RecordBatch wrap(byte[] bytes) {
        return wrap(ByteBuffer.wrap(bytes));
    }

    /**
     * Checks everything a broker must check before appending, without decoding records: size
     * limit, magic, CRC32C, header consistency, codec and producer fields.
     *
     * @param maxBatchBytes the largest batch accepted (the topic's max.message.bytes)
     * @throws RecordBatchException with the wire code for the first problem found
     */
    public RecordBatch validate(int maxBatchBytes) {
        if (sizeInBytes() > maxBatchBytes) {
            throw new RecordBatchException(ErrorCode.ERROR_CODE_BATCH_TOO_LARGE,
                    "batch of " + sizeInBytes() + " bytes exceeds the limit of " + maxBatchBytes + " bytes");
        }
        if (magic() != MAGIC) {
            throw new RecordBatchException(ErrorCode.ERROR_CODE_UNSUPPORTED_BATCH_VERSION,
                    "batch magic " + magic() + " is not supported (expected " + MAGIC + ")");
        }
        long computed = computeCrc();
        if (computed != crc()) {
            throw new RecordBatchException(ErrorCode.ERROR_CODE_CORRUPT_BATCH,
                    String.format("batch CRC32C is 0x%08x but its content gives 0x%08x", crc(), computed));
        }
        validateHeaderFields();
        return this;
    }

    private void validateHeaderFields() {
        int count = recordCount();
        if (count < 1 || count > MAX_RECORDS_PER_BATCH) {
            throw RecordBatchException.invalid("record count " + count + " is outside 1.." + MAX_RECORDS_PER_BATCH);
        }
        if (lastOffsetDelta() != count - 1) {
            throw RecordBatchException.invalid("last offset delta " + lastOffsetDelta()
                    + " does not match record count " + count);
        }
        if (sizeInBytes() - HEADER_SIZE < count) {
            throw RecordBatchException.invalid(count + " records cannot fit in "
                    + (sizeInBytes() - HEADER_SIZE) + " bytes");
        }
        int codecId = attributes() & COMPRESSION_MASK;
        if (!CompressionType.forId(codecId).isSupported()) {
            throw new RecordBatchException(ErrorCode.ERROR_CODE_UNSUPPORTED_COMPRESSION,
                    "compression codec " + CompressionType.forId(codecId).configName() + " is not supported");
        }
        if ((attributes() & (TRANSACTIONAL_FLAG | CONTROL_FLAG)) != 0) {
            throw new RecordBatchException(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE,
                    "transactional and control batches are not supported yet");
        }
        if (baseTimestamp() < -1 || maxTimestamp() < -1) {
            throw RecordBatchException.invalid("negative timestamp other than -1 (none)");
        }
        validateProducerFields();
    }

    private void validateProducerFields() {
        long pid = producerId();
        if (pid < -1) {
            throw RecordBatchException.invalid("producer id " + pid + " is negative");
        }
        if (pid >= 0 && (producerEpoch() < 0 || baseSequence() < 0)) {
            throw RecordBatchException.invalid("idempotent batch (producer id " + pid
                    + ") needs a producer epoch and base sequence >= 0");
        }
        if (pid == -1 && baseSequence() != -1) {
            throw RecordBatchException.invalid("base sequence " + baseSequence() + " without a producer id");
        }
    }

    /** CRC32C over the bytes from the attributes to the end, as the CRC field should hold. */
    public long computeCrc() {
        return crc32c(buffer, ATTRIBUTES_OFFSET, buffer.limit() - ATTRIBUTES_OFFSET);
    }

    /** Per-thread scratch for checksumming read-only heap buffers. */
    private static final ThreadLocal<byte[]> CRC_SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    static long crc32c(ByteBuffer buffer, int from, int length) {
        CRC32C crc = new CRC32C();
        if (buffer.isDirect() || buffer.hasArray()) {
            ByteBuffer range = buffer.duplicate();
            range.limit(from + length).position(from);
            crc.update(range);
            return crc.getValue();
        }
        // A read-only heap buffer (how received batches arrive): the JDK would checksum it through a
        // new 4 KiB array per call, the broker's third largest source of garbage.
        byte[] scratch = CRC_SCRATCH.get();
        for (int done = 0; done < length; done += scratch.length) {
            int chunk = Math.min(scratch.length, length - done);
            buffer.get(from + done, scratch, 0, chunk);
            crc.update(scratch, 0, chunk);
        }
        return crc.getValue();
    }

    /** Decodes every record, checking that each is well formed and that they fill the batch exactly. */
    public List<Record> records() {
        int count = recordCount();
        if (count < 0 || count > MAX_RECORDS_PER_BATCH) {
            throw RecordBatchException.invalid("record count " + count + " is out of range");
        }
        ByteBuffer section = buffer.duplicate();
        section.position(HEADER_SIZE);
        ByteBuffer records = compressionType().decompress(section.slice(), MAX_UNCOMPRESSED_BYTES);
        List<Record> out = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            out.add(readRecord(records, i));
        }
        if (records.hasRemaining()) {
            throw RecordBatchException.invalid(records.remaining() + " bytes after the last of " + count + " records");
        }
        return out;
    }

    private Record readRecord(ByteBuffer in, int index) {
        int length = Varints.readVarint(in);
        if (length < 0 || length > in.remaining()) {
            throw RecordBatchException.invalid("record " + index + " claims " + length
                    + " bytes but " + in.remaining() + " remain");
        }
        ByteBuffer body = in.slice();
        body.limit(length);
        in.position(in.position() + length);
        body.get(); // record attributes: unused, reserved
        long timestampDelta = Varints.readVarlong(body);
        int offsetDelta = Varints.readVarint(body);
        if (offsetDelta != index) {
            throw RecordBatchException.invalid("record " + index + " has offset delta " + offsetDelta);
        }
        byte[] key = readBytes(body, "key");
        byte[] value = readBytes(body, "value");
        int headerCount = Varints.readVarint(body);
        if (headerCount < 0 || headerCount > body.remaining()) {
            throw RecordBatchException.invalid("record " + index + " has a bad header count " + headerCount);
        }
        // Most records have no headers: the shared empty list spares two allocations per record.
        List<Header> headers = headerCount == 0 ? List.of() : new ArrayList<>(headerCount);
        for (int h = 0; h < headerCount; h++) {
            byte[] headerKey = readBytes(body, "header key");
            if (headerKey == null) {
                throw RecordBatchException.invalid("record " + index + " has a null header key");
            }
            headers.add(new Header(new String(headerKey, StandardCharsets.UTF_8), readBytes(body, "header value")));
        }
        if (body.hasRemaining()) {
            throw RecordBatchException.invalid("record " + index + " has " + body.remaining() + " unread bytes");
        }
        long timestamp = timestampType() == TimestampType.LOG_APPEND_TIME
                ? maxTimestamp() : baseTimestamp() + timestampDelta;
        return new Record(baseOffset() + offsetDelta, timestamp, key, value, headers);
    }

    private static byte[] readBytes(ByteBuffer in, String what) {
        int length = Varints.readVarint(in);
        if (length == -1) {
            return null;
        }
        if (length < -1 || length > in.remaining()) {
            throw RecordBatchException.invalid(what + " length " + length + " does not fit the record");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** The whole batch, header included, as a read-only slice of the underlying buffer. */
    public ByteBuffer buffer() {
        return buffer.asReadOnlyBuffer();
    }

    public int sizeInBytes() {
        return buffer.limit();
    }

    public long baseOffset() {
        return buffer.getLong(BASE_OFFSET_OFFSET);
    }

    /** Offset of the batch's last record. */
    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** Offset after the batch: where the next batch starts. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public int length() {
        return buffer.getInt(LENGTH_OFFSET);
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(MAGIC_OFFSET);
    }

    /** The stored CRC32C, as an unsigned value. */
    public long crc() {
        return Integer.toUnsignedLong(buffer.getInt(CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(ATTRIBUTES_OFFSET);
    }

    public CompressionType compressionType() {
        return CompressionType.forId(attributes() & COMPRESSION_MASK);
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_FLAG) != 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    public long baseTimestamp() {
        return buffer.getLong(BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(BASE_SEQUENCE_OFFSET);
    }

    /** Sequence number of the batch's last record (wrapping at Integer.MAX_VALUE), or -1. */
    public int lastSequence() {
        int base = baseSequence();
        if (base < 0) {
            return -1;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public int recordCount() {
        return buffer.getInt(RECORD_COUNT_OFFSET);
    }

    /**
     * Writes the base offset and leader epoch into the header, as the leader does on append. Neither
     * field is covered by the CRC, so the batch stays valid. The buffer must be writable.
     */
    public static void stampOffsetAndEpoch(ByteBuffer batch, long baseOffset, int leaderEpoch) {
        int start = batch.position();
        ByteBuffer b = batch.duplicate().order(ByteOrder.BIG_ENDIAN);
        b.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
        b.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, leaderEpoch);
    }

    /**
     * Marks the batch as LogAppendTime with the given time and recomputes the CRC (per batch, not
     * per record: the records keep their deltas, readers use the max timestamp for all of them).
     */
    public static void stampLogAppendTime(ByteBuffer batch, long appendTimeMs) {
        int start = batch.position();
        ByteBuffer b = batch.duplicate().order(ByteOrder.BIG_ENDIAN);
        short attributes = b.getShort(start + ATTRIBUTES_OFFSET);
        b.putShort(start + ATTRIBUTES_OFFSET, (short) (attributes | TIMESTAMP_TYPE_FLAG));
        b.putLong(start + MAX_TIMESTAMP_OFFSET, appendTimeMs);
        int size = LOG_OVERHEAD + b.getInt(start + LENGTH_OFFSET);
        long crc = crc32c(b, start + ATTRIBUTES_OFFSET, size - ATTRIBUTES_OFFSET);
        b.putInt(start + CRC_OFFSET, (int) crc);
    }

    @Override
    public String toString() {
        return "RecordBatch[baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset()
                + ", records=" + recordCount() + ", bytes=" + sizeInBytes()
                + ", epoch=" + partitionLeaderEpoch() + ", codec=" + (attributes() & COMPRESSION_MASK) + "]";
    }
}
