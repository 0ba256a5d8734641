package io.sluice.record;

import io.sluice.proto.v1.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How the records section of a batch is compressed: the low three bits of the batch attributes.
 * The ids are part of the wire format and never change. Codecs whose library is not on the class
 * path report {@link #isSupported()} false and are refused with {@code UNSUPPORTED_COMPRESSION}.
 */
public enum CompressionType {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

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
        return this == NONE || this == GZIP;
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

    byte[] compress(byte[] raw, int length) {
        ensureSupported();
        if (this == NONE) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 2));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(raw, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }

    /** Decompresses {@code compressed}, refusing output beyond {@code maxBytes} (a zip bomb). */
    ByteBuffer decompress(ByteBuffer compressed, int maxBytes) {
        ensureSupported();
        if (this == NONE) {
            return compressed;
        }
        try (InputStream in = new GZIPInputStream(new ByteBufferInputStream(compressed), 8192)) {
            byte[] all = in.readNBytes(maxBytes + 1);
            if (all.length > maxBytes) {
                throw RecordBatchException.invalid("records decompress to more than " + maxBytes + " bytes");
            }
            return ByteBuffer.wrap(all);
        } catch (IOException e) {
            throw new RecordBatchException(ErrorCode.ERROR_CODE_CORRUPT_BATCH,
                    "gzip records section is damaged: " + e.getMessage(), e);
        }
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
