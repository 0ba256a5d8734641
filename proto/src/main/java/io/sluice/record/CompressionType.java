package io.sluice.record;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.sluice.proto.v1.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * How the records section of a batch is compressed: the low three bits of the batch attributes.
 * The ids are part of the wire format and never change. gzip uses the JDK; lz4 writes the standard
 * LZ4 frame format (lz4-java); zstd the standard zstd frame (zstd-jni). Snappy is reserved and
 * refused with {@code UNSUPPORTED_COMPRESSION}.
 */
public enum CompressionType {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private static final int BUFFER_BYTES = 16 * 1024;

    private final int id;
    private final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The 3-bit id stored in the batch attributes. */
    public int id() {
        return id;
    }

    /** The name used in configs and on the command line. */
    public String configName() {
        return configName;
    }

    /** Whether this build can compress and decompress with the codec. */
    public boolean isSupported() {
        return this != SNAPPY;
    }

    /** The codec with the given attribute id. */
    public static CompressionType forId(int id) {
        for (CompressionType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        throw new RecordBatchException(ErrorCode.ERROR_CODE_UNSUPPORTED_COMPRESSION,
                "unknown compression codec id " + id);
    }

    /** The codec with the given config name ("none", "gzip", ...). */
    public static CompressionType forName(String name) {
        for (CompressionType type : values()) {
            if (type.configName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown compression type '" + name + "'");
    }

    /** Compresses {@code raw[offset, offset + length)} into a new array. */
    byte[] compress(byte[] raw, int offset, int length) {
        ensureSupported();
        if (this == NONE) {
            return Arrays.copyOfRange(raw, offset, offset + length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 2));
        try (OutputStream compressing = wrap(out)) {
            compressing.write(raw, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(configName + " compression into memory failed", e);
        }
        return out.toByteArray();
    }

    /** Decompresses {@code compressed}, refusing output beyond {@code maxBytes} (a zip bomb). */
    ByteBuffer decompress(ByteBuffer compressed, int maxBytes) {
        ensureSupported();
        if (this == NONE) {
            return compressed;
        }
        try (InputStream in = wrap(new ByteBufferInputStream(compressed))) {
            byte[] all = in.readNBytes(maxBytes + 1);
            if (all.length > maxBytes) {
                throw RecordBatchException.invalid("records decompress to more than " + maxBytes + " bytes");
            }
            return ByteBuffer.wrap(all);
        } catch (IOException | RuntimeException e) {
            if (e instanceof RecordBatchException batchException) {
                throw batchException;
            }
            throw new RecordBatchException(ErrorCode.ERROR_CODE_CORRUPT_BATCH,
                    configName + " records section is damaged: " + e.getMessage(), e);
        }
    }

    private OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPOutputStream(out, BUFFER_BYTES);
            case LZ4 -> new LZ4FrameOutputStream(out);
            case ZSTD -> new ZstdOutputStream(out);
            default -> throw new IllegalStateException("no compressor for " + configName);
        };
    }

    private InputStream wrap(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPInputStream(in, BUFFER_BYTES);
            case LZ4 -> new LZ4FrameInputStream(in);
            case ZSTD -> new ZstdInputStream(in);
            default -> throw new IllegalStateException("no decompressor for " + configName);
        };
    }

    private void ensureSupported() {
        if (!isSupported()) {
            throw new RecordBatchException(ErrorCode.ERROR_CODE_UNSUPPORTED_COMPRESSION,
                    "compression codec " + configName + " is not supported by this build");
        }
    }

    /** Reads a buffer's remaining bytes without copying them first. */
    private static final class ByteBufferInputStream extends InputStream {
        private final ByteBuffer buffer;

        ByteBufferInputStream(ByteBuffer buffer) {
            this.buffer = buffer.slice();
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }
    }
}
