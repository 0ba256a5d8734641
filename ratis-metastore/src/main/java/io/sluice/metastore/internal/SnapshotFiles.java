package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataImage;
import io.sluice.proto.internal.v1.MetadataImageSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Writes and reads snapshot files of the metadata image.
 *
 * <p>On-disk format (big-endian): magic {@code "SLMS"} (4 bytes), format version (int), payload
 * length (long), the {@code MetadataImageSnapshot} message, then CRC32C of the payload (int).
 * Writing goes to a temporary file in a separate directory, is forced to disk, gets its MD5 file
 * (the digest Ratis checks when it ships the snapshot to a follower), and is then renamed atomically
 * to its final name {@code snapshot.<term>_<index>} (Ratis' naming). A failed write leaves no final
 * file, so a broken snapshot is never recorded. Reading checks magic, version, length and CRC.
 * Stateless.
 */
public final class SnapshotFiles {
    private static final int MAGIC = 0x534c4d53;
    private static final int HEADER_BYTES = 16;

    private SnapshotFiles() {
    }

    /** Writes {@code image} to {@code target} through {@code tmpDir}; returns the file's MD5. */
    public static MD5Hash write(MetadataImage image, Path target, Path tmpDir) throws IOException {
        byte[] payload = SnapshotCodec.encode(image).toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(SnapshotCodec.FORMAT_VERSION)
                .putLong(payload.length).flip();
        ByteBuffer trailer = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
        Files.createDirectories(tmpDir);
        Path tmp = tmpDir.resolve(target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, header);
                writeFully(ch, ByteBuffer.wrap(payload));
                writeFully(ch, trailer);
                ch.force(true);
            }
            MD5Hash md5 = MD5FileUtil.computeMd5ForFile(tmp.toFile());
            MD5FileUtil.saveMD5File(target.toFile(), md5);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return md5;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Reads and checks a snapshot file. */
    public static MetadataImage read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all);
        if (all.length < HEADER_BYTES + 4 || buf.getInt() != MAGIC) {
            throw new IOException(file + " is not a Sluice metadata snapshot");
        }
        int version = buf.getInt();
        long length = buf.getLong();
        if (version != SnapshotCodec.FORMAT_VERSION || length != all.length - HEADER_BYTES - 4L) {
            throw new IOException(file + ": format " + version + " or length " + length + " is wrong");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, HEADER_BYTES, (int) length);
        int stored = ByteBuffer.wrap(all, HEADER_BYTES + (int) length, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException(file + ": checksum mismatch");
        }
        MetadataImageSnapshot s = MetadataImageSnapshot.parseFrom(ByteBuffer.wrap(all, HEADER_BYTES, (int) length));
        return SnapshotCodec.decode(s);
    }
}
