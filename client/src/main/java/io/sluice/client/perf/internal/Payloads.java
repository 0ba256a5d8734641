package io.sluice.client.perf.internal;

/**
 * Record values for a load generator: a fresh array per record (the producer may hold on to it
 * until the record is batched), filled with random letters A-Z, one random draw per byte, as Kafka
 * 4.4's ProducerPerformance does, so both tools spend the same effort per record and compress
 * alike. An end-to-end run stamps the first 8 bytes with the record's intended send time.
 *
 * <p>Each draw is a SplitMix64 step (Steele, Lea and Flood; the generator behind
 * {@code SplittableRandom}), mapped to a letter by a multiply and a shift. Kafka's tool calls
 * {@code SplittableRandom.nextInt(26)}, whose remainder the C2 compiler turns into a multiply once
 * the bound is a known constant; the client tools here run with C1 only, which keeps the division,
 * and a 1 KiB value then took 5.2-5.4 µs to fill instead of the 2.5 µs Kafka's tool takes with C2.
 * Written this way it takes 2.5 µs with C1 (docs/benchmarks.md, "The tool's payload under C1").
 * Not thread-safe: one per producing thread.
 */
public final class Payloads {
    /** Bytes a stamp takes at the start of a value. */
    public static final int STAMP_BYTES = Long.BYTES;
    private static final int LETTERS = 26;

    /** SplitMix64's increment: the odd 64-bit fraction of the golden ratio. */
    private static final long GAMMA = 0x9e3779b97f4a7c15L;

    private final int size;
    private long state;

    public Payloads(int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("record size must not be negative, got " + size);
        }
        this.size = size;
        this.state = mix(seed);
    }

    /** A new value of random letters. */
    public byte[] next() {
        byte[] value = new byte[size];
        long s = state;
        for (int i = 0; i < size; i++) {
            s += GAMMA;
            // the high 32 bits of a draw, times 26, shifted down: a letter index from 0 to 25
            value[i] = (byte) ('A' + (((mix(s) >>> Integer.SIZE) * LETTERS) >>> Integer.SIZE));
        }
        state = s;
        return value;
    }

    /** SplitMix64's output function (public domain, Sebastiano Vigna's reference version). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
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
