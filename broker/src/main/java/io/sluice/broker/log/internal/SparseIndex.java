package io.sluice.broker.log.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A sparse, sorted list of (key, value) entries for one segment, held in memory and saved as a file
 * of fixed-size big-endian entries. Two kinds exist:
 * <ul>
 *   <li>the offset index ({@link #OFFSET_KEY_BYTES}): key = offset relative to the segment's base
 *       (4 bytes), value = byte position of the batch that starts there (4 bytes);</li>
 *   <li>the time index ({@link #TIME_KEY_BYTES}): key = the largest batch timestamp so far in the
 *       segment (8 bytes), value = relative offset of the batch that brought it (4 bytes).</li>
 * </ul>
 * Keys grow strictly and values never shrink, so both can be searched by binary search.
 *
 * <p>Threading: one writer appends and truncates; readers may search concurrently. The entry count
 * is published after the entry it covers, and a grown array is published before the count that
 * needs it, so a reader sees a consistent prefix. A truncation racing with a reader is detected by
 * the log's truncation lock, not here.
 */
public final class SparseIndex {
    /** Key width of the offset index. */
    public static final int OFFSET_KEY_BYTES = 4;
    /** Key width of the time index. */
    public static final int TIME_KEY_BYTES = 8;

    private static final int INITIAL_CAPACITY = 16;

    private record Entries(long[] keys, int[] values) {
    }

    private final int keyBytes;
    private volatile Entries arrays;
    private volatile int count;

    /** An empty index whose keys take {@code keyBytes} bytes on disk. */
    public SparseIndex(int keyBytes) {
        this(keyBytes, new long[INITIAL_CAPACITY], new int[INITIAL_CAPACITY], 0);
    }

    private SparseIndex(int keyBytes, long[] keys, int[] values, int count) {
        this.keyBytes = keyBytes;
        this.arrays = new Entries(keys, values);
        this.count = count;
    }

    /** Entries in the index. */
    public int count() {
        return count;
    }

    /** The last key, or {@code Long.MIN_VALUE} when empty. */
    public long lastKey() {
        int n = count;
        return n == 0 ? Long.MIN_VALUE : arrays.keys()[n - 1];
    }

    /** The last value, or -1 when empty. */
    public int lastValue() {
        int n = count;
        return n == 0 ? -1 : arrays.values()[n - 1];
    }

    /** Appends an entry; {@code key} must be larger than every key so far. Writer only. */
    public void append(long key, int value) {
        int n = count;
        if (n > 0 && key <= arrays.keys()[n - 1]) {
            throw new IllegalArgumentException("index key " + key + " does not follow " + arrays.keys()[n - 1]);
        }
        Entries current = arrays;
        if (n == current.keys().length) {
            int grown = Math.max(INITIAL_CAPACITY, n * 2);
            current = new Entries(Arrays.copyOf(current.keys(), grown), Arrays.copyOf(current.values(), grown));
            arrays = current;
        }
        current.keys()[n] = key;
        current.values()[n] = value;
        count = n + 1;
    }

    /**
     * The value of the entry with the largest key {@code <= key} ({@code < key} when {@code strict}),
     * or {@code otherwise} when there is none.
     */
    public int floorValue(long key, boolean strict, int otherwise) {
        int n = count;
        Entries current = arrays;
        int low = 0;
        int high = n - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long k = current.keys()[mid];
            if (k < key || !strict && k == key) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0 ? otherwise : current.values()[found];
    }

    /** Keeps only the entries whose value is below {@code value}. Writer only. */
    public void truncateToValuesBelow(int value) {
        int n = count;
        int[] values = arrays.values();
        int keep = 0;
        while (keep < n && values[keep] < value) {
            keep++;
        }
        count = keep;
    }

    /** The entries as saved on disk. */
    public byte[] toBytes() {
        int n = count;
        Entries current = arrays;
        ByteBuffer out = ByteBuffer.allocate(n * entryBytes(keyBytes));
        for (int i = 0; i < n; i++) {
            if (keyBytes == OFFSET_KEY_BYTES) {
                out.putInt((int) current.keys()[i]);
            } else {
                out.putLong(current.keys()[i]);
            }
            out.putInt(current.values()[i]);
        }
        return out.array();
    }

    /**
     * Reads a saved index, or returns null when the bytes are not a whole number of entries or the keys
     * do not grow strictly or the values shrink or fall outside {@code [0, maxValue]}.
     */
    public static SparseIndex parse(byte[] bytes, int keyBytes, int maxValue) {
        int entry = entryBytes(keyBytes);
        if (bytes.length % entry != 0) {
            return null;
        }
        int n = bytes.length / entry;
        long[] keys = new long[Math.max(n, INITIAL_CAPACITY)];
        int[] values = new int[keys.length];
        ByteBuffer in = ByteBuffer.wrap(bytes);
        for (int i = 0; i < n; i++) {
            keys[i] = keyBytes == OFFSET_KEY_BYTES ? in.getInt() : in.getLong();
            values[i] = in.getInt();
            boolean ordered = i == 0 || keys[i] > keys[i - 1] && values[i] >= values[i - 1];
            boolean negativeOffset = keyBytes == OFFSET_KEY_BYTES && keys[i] < 0;
            if (!ordered || negativeOffset || values[i] < 0 || values[i] > maxValue) {
                return null;
            }
        }
        return new SparseIndex(keyBytes, keys, values, n);
    }

    /** Bytes of one saved entry for keys of {@code keyBytes} bytes. */
    public static int entryBytes(int keyBytes) {
        return keyBytes + Integer.BYTES;
    }
}
