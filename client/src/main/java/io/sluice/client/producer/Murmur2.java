package io.sluice.client.producer;

/**
 * The 32-bit murmur2 hash, seeded as Kafka's producer seeds it, so that a key goes to the same
 * partition number under Sluice as under Kafka's default partitioner: a topic migrated between
 * the two keeps per-key ordering.
 */
public final class Murmur2 {
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Murmur2() {
    }

    /** The murmur2 hash of {@code data}. */
    public static int hash(byte[] data) {
        int length = data.length;
        int h = SEED ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int at = i * 4;
            int k = (data[at] & 0xff) | ((data[at + 1] & 0xff) << 8)
                    | ((data[at + 2] & 0xff) << 16) | ((data[at + 3] & 0xff) << 24);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int tail = blocks * 4;
        int remaining = length - tail;
        if (remaining > 0) {
            if (remaining == 3) {
                h ^= (data[tail + 2] & 0xff) << 16;
            }
            if (remaining >= 2) {
                h ^= (data[tail + 1] & 0xff) << 8;
            }
            h ^= data[tail] & 0xff;
            h *= M;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /** The partition for a non-null key among {@code partitionCount} partitions. */
    public static int partitionForKey(byte[] key, int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("partition count must be positive, was " + partitionCount);
        }
        return (hash(key) & 0x7fffffff) % partitionCount;
    }
}
