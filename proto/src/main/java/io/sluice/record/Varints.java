package io.sluice.record;

import java.nio.ByteBuffer;

/**
 * Zig-zag variable-length integers, as used inside records (the same encoding as protobuf's
 * {@code sint32}/{@code sint64}): 7 bits a byte, least significant group first, high bit set on
 * every byte but the last. An int takes at most 5 bytes, a long at most 10.
 *
 * <p>Stateless and thread-safe. Readers throw {@link RecordBatchException} with
 * {@code INVALID_BATCH} on a value that runs past the buffer or past its maximum length, so a
 * damaged record can never make a reader loop or read outside its batch.
 */
public final class Varints {
    private static final int MAX_INT_BYTES = 5;
    private static final int MAX_LONG_BYTES = 10;

    private Varints() {
    }

    /** Writes {@code value} zig-zag encoded. */
    public static void writeVarint(int value, ByteBuffer out) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & ~0x7F) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    /** Writes {@code value} zig-zag encoded. */
    public static void writeVarlong(long value, ByteBuffer out) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    /** Reads a zig-zag varint, advancing the buffer's position. */
    public static int readVarint(ByteBuffer in) {
        int raw = 0;
        for (int i = 0; i < MAX_INT_BYTES; i++) {
            if (!in.hasRemaining()) {
                throw RecordBatchException.invalid("varint runs past the end of the record");
            }
            int b = in.get() & 0xFF;
            raw |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw RecordBatchException.invalid("varint longer than " + MAX_INT_BYTES + " bytes");
    }

    /** Reads a zig-zag varlong, advancing the buffer's position. */
    public static long readVarlong(ByteBuffer in) {
        long raw = 0;
        for (int i = 0; i < MAX_LONG_BYTES; i++) {
            if (!in.hasRemaining()) {
                throw RecordBatchException.invalid("varlong runs past the end of the record");
            }
            long b = in.get() & 0xFF;
            raw |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw RecordBatchException.invalid("varlong longer than " + MAX_LONG_BYTES + " bytes");
    }

    /** Bytes {@link #writeVarint} uses for {@code value}. */
    public static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & ~0x7F) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    /** Bytes {@link #writeVarlong} uses for {@code value}. */
    public static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & ~0x7FL) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }
}
