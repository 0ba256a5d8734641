package io.sluice.broker.log.internal;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.UnsafeMemory;
import net.openhft.chronicle.core.io.IORuntimeException;

/**
 * One memory mapping of a segment file: a Chronicle {@link MappedBytes} over {@code [0, capacity)}
 * (read-write for the active segment, read-only for sealed ones). All access is positional, on the
 * underlying {@link MappedBytesStore}, never through the {@code MappedBytes} cursor, so any thread may
 * read while the writer writes beyond what readers are allowed to see. Batch headers are big-endian;
 * Chronicle reads and writes in native order, so the header accessors swap bytes where needed.
 *
 * <p>Its reference count is kept by the owning {@link LogSegment} under the segment's lock; the mapping
 * is released ({@link #close()}) exactly once, when the segment no longer needs it and no reader holds
 * it. Chronicle's own msync on release is switched off: flushing is the log's decision.
 *
 * <p>Chronicle (on Java 9+) copies between heap arrays and native memory 8 bytes per loop iteration, which
 * held appends and reads to a fraction of memory bandwidth, while it copies between two native addresses,
 * and the JDK between heap and direct buffers, with a memcpy ({@code docs/benchmarks.md}). So bulk reads
 * copy from the mapping into the caller's array with {@code Unsafe.copyMemory}, and bulk writes from a
 * heap buffer (read-only ones too, as gRPC hands batches over) go through a direct buffer over the
 * mapping: one memcpy each way. A mapping larger than a buffer's int positions, or one Chronicle cannot
 * make that buffer for, writes through a per-thread direct staging buffer instead (two memcpys through a
 * buffer that stays in the CPU cache).
 */
public final class SegmentMapping {
    private static final boolean NATIVE_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
    /** Reads shorter than this use Chronicle's checked read directly. */
    private static final int BULK_MIN_BYTES = 1024;
    /** The largest single bulk copy of a read, and the size of the staging buffer. */
    private static final int CHUNK_BYTES = 256 * 1024;
    /** One direct buffer per thread for writes from the heap without a write view, allocated on first use. */
    private static final ThreadLocal<ByteBuffer> STAGE = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(CHUNK_BYTES));
    private static final long BYTE_ARRAY_BASE = UnsafeMemory.UNSAFE.arrayBaseOffset(byte[].class);

    /** The source of {@link #writeZeros}: one read-only direct buffer shared by every segment. */
    static final int ZEROS_BYTES = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZEROS_BYTES).asReadOnlyBuffer();

    private final MappedBytes bytes;
    private final MappedBytesStore store;
    private final long capacity;
    private final boolean writable;
    /**
     * A direct buffer over the whole writable mapping, for copies from heap buffers in one memcpy; null
     * for read-only mappings and for those too large for a buffer's int positions.
     */
    private final ByteBuffer writeView;
    /** Guarded by the owning segment. */
    int references;
    /** Guarded by the owning segment: replaced by another mapping, close when unreferenced. */
    boolean retired;

    private SegmentMapping(MappedBytes bytes, long capacity, boolean writable, boolean withWriteView) {
        this.bytes = bytes;
        this.store = (MappedBytesStore) bytes.bytesStore();
        this.capacity = capacity;
        this.writable = writable;
        store.syncMode(SyncMode.NONE);
        this.writeView = writable && withWriteView ? writeViewOf(store, capacity) : null;
    }

    /**
     * A direct buffer whose index 0 is the mapping's position 0 and which covers all of it, or null
     * when the mapping is too large for one or Chronicle cannot make one (it sets the buffer's fields
     * by reflection, which a JVM may refuse): writes then go through the staging buffer.
     */
    private static ByteBuffer writeViewOf(MappedBytesStore store, long capacity) {
        if (capacity > Integer.MAX_VALUE || store.start() != 0) {
            return null;
        }
        try {
            ByteBuffer view = store.toTemporaryDirectByteBuffer();
            return view.capacity() >= capacity ? view : null;
        } catch (RuntimeException | AssertionError e) {
            return null;
        }
    }

    /** Maps {@code [0, capacity)} of {@code file}; a writable mapping grows the file to the capacity. */
    static SegmentMapping open(Path file, long capacity, boolean writable) throws IOException {
        return open(file, capacity, writable, true);
    }

    /** As {@link #open(Path, long, boolean)}; without the write view, for tests of the staged writes. */
    static SegmentMapping open(Path file, long capacity, boolean writable, boolean withWriteView)
            throws IOException {
        try {
            MappedBytes bytes = MappedBytes.singleMappedBytes(file.toFile(), capacity, !writable);
            bytes.singleThreadedCheckDisabled(true);
            return new SegmentMapping(bytes, capacity, writable, withWriteView);
        } catch (FileNotFoundException | IORuntimeException e) {
            throw new IOException("cannot map " + capacity + " bytes of " + file + ": " + e.getMessage(), e);
        }
    }

    public long capacity() {
        return capacity;
    }

    public boolean writable() {
        return writable;
    }

    /** Copies {@code length} bytes at {@code position} into {@code target[offset..]}. */
    public void copyTo(long position, byte[] target, int offset, int length) {
        if (length < BULK_MIN_BYTES) {
            store.read(position, target, offset, length);
            return;
        }
        checkRange(position, length);
        Objects.checkFromIndexSize(offset, length, target.length);
        // Straight from the mapping into the array, one memcpy per chunk of at most 256 KiB, as the JDK
        // splits its own bulk copies between the heap and native memory.
        for (int done = 0; done < length; done += CHUNK_BYTES) {
            int chunk = Math.min(CHUNK_BYTES, length - done);
            UnsafeMemory.UNSAFE.copyMemory(null, store.addressForRead(position + done), target,
                    BYTE_ARRAY_BASE + offset + done, chunk);
        }
    }

    /**
     * Copies {@code length} bytes of {@code source} (any kind of buffer, read-only too) from its index
     * {@code sourceIndex} to {@code position}; the buffer's position and limit are not used or changed.
     */
    public void write(long position, ByteBuffer source, int sourceIndex, int length) {
        checkRange(position, length);
        if (source.isDirect()) {
            store.write(position, source, sourceIndex, length);
            return;
        }
        if (writeView != null) {
            writeView.put((int) position, source, sourceIndex, length);
            return;
        }
        ByteBuffer stage = STAGE.get();
        for (int done = 0; done < length; done += CHUNK_BYTES) {
            int chunk = Math.min(CHUNK_BYTES, length - done);
            stage.put(0, source, sourceIndex + done, chunk);
            store.write(position + done, stage, 0, chunk);
        }
    }

    /** Refuses a copy outside {@code [0, capacity)} before any byte moves: raw copies do not check. */
    private void checkRange(long position, int length) {
        if (position < 0 || length < 0 || position + length > capacity) {
            throw new IndexOutOfBoundsException("[" + position + ", +" + length + ") is outside the mapping of "
                    + capacity + " bytes");
        }
    }

    /** Zeroes {@code [from, to)}. */
    public void zero(long from, long to) {
        store.zeroOut(from, to);
    }

    public long readLong(long position) {
        long v = store.readLong(position);
        return NATIVE_BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    public int readInt(long position) {
        int v = store.readInt(position);
        return NATIVE_BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    public void writeLong(long position, long value) {
        store.writeLong(position, NATIVE_BIG_ENDIAN ? value : Long.reverseBytes(value));
    }

    public void writeInt(long position, int value) {
        store.writeInt(position, NATIVE_BIG_ENDIAN ? value : Integer.reverseBytes(value));
    }

    public void writeShort(long position, short value) {
        store.writeShort(position, NATIVE_BIG_ENDIAN ? value : Short.reverseBytes(value));
    }

    /** msync: forces {@code [0, end)} to disk before returning. */
    public void sync(long end) {
        store.syncUpTo(end, SyncMode.SYNC);
    }

    /** Writes zeros over {@code [position, position + length)} of the file, {@code length} at most 1 MiB. */
    void writeZeros(long position, int length) throws IOException {
        FileChannel channel = bytes.mappedFile().raf().getChannel();
        ByteBuffer source = ZEROS.duplicate();
        source.limit(length);
        long at = position;
        while (source.hasRemaining()) {
            at += channel.write(source, at);
        }
    }

    /** fdatasync of the mapped file: its data, whichever mapping wrote it, and its size. */
    public void forceFile() throws IOException {
        bytes.mappedFile().raf().getChannel().force(false);
    }

    /** Unmaps and releases the Chronicle resources (Chronicle unmaps on its background releaser thread). */
    void close() {
        MappedFile file = bytes.mappedFile();
        bytes.close();
        // A single-mapping MappedFile keeps its own reservation of the mapping and drops it only when
        // -DmappedFile.retain=true; without this the region would stay mapped for the life of the process.
        if (store.refCount() > 0) {
            store.release(file);
        }
    }
}
