package io.sluice.client.perf.internal;

import java.util.SplittableRandom;

/**
 * Record values for a load generator: a fresh array per record (the producer may hold on to it
 * until the record is batched), filled with random letters A-Z, one random draw per byte, as Kafka
 * 4.4's ProducerPerformance does, so both tools spend the same effort per record and compress
 * alike. An end-to-end run stamps the first 8 bytes with the record's intended send time.
 * Not thread-safe: one per producing thread.
 */
public final class Payloads {
    /** Bytes a stamp takes at the start of a value. */
    public static final int STAMP_BYTES = Long.BYTES;
    private static final int LETTERS = 26;

    private final int size;
    private final SplittableRandom random;

    public Payloads(int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("record size must not be negative, got " + size);
        }
        this.size = size;
        this.random = new SplittableRandom(seed);
    }

    /** A new value of random letters. */
    public byte[] next() {
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) ('A' + random.nextInt(LETTERS));
        }
        return value;
    }

    /** A new value whose first 8 bytes hold {@code stampNs}, big-endian (the size must allow it). */
    public byte[] nextStamped(long stampNs) {
        if (size < STAMP_BYTES) {
            throw new IllegalStateException("a stamped value needs at least " + STAMP_BYTES + " bytes");
        }
        byte[] value = next();
        for (int i = 0; i < STAMP_BYTES; i++) {
            value[i] = (byte) (stampNs >>> (Long.SIZE - Byte.SIZE * (i + 1)));
        }
        return value;
    }

    /** The stamp of a value made by {@link #nextStamped}. */
    public static long stampOf(byte[] value) {
        long stamp = 0;
        for (int i = 0; i < STAMP_BYTES; i++) {
            stamp = (stamp << Byte.SIZE) | (value[i] & 0xFF);
        }
        return stamp;
    }
}
