package io.sluice.broker.log.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The two checkpoint files of a partition directory (formats in {@code docs/storage.md}):
 * <ul>
 *   <li>{@value #RECOVERY_POINT_FILE}: 40 big-endian bytes, magic {@code SLRP}, version 0, recovery
 *       offset, segment base offset, position, log start offset, CRC32C of the 36 bytes before it;</li>
 *   <li>{@value #LEADER_EPOCH_FILE}: text as Kafka writes it, a version line ({@code 0}), a count line,
 *       then one {@code epoch startOffset} line per entry.</li>
 * </ul>
 * Both are replaced atomically ({@link AtomicFiles#write}). A file that is missing or fails its
 * checks reads as empty: recovery then rebuilds what it held from the segments. Stateless.
 */
public final class CheckpointFiles {
    public static final String RECOVERY_POINT_FILE = "recovery-point-checkpoint";
    public static final String LEADER_EPOCH_FILE = "leader-epoch-checkpoint";

    private static final int MAGIC = 0x534C5250;
    private static final int VERSION = 0;
    private static final int RECOVERY_POINT_SIZE = 40;

    private CheckpointFiles() {
    }

    /** Saves {@code point} in {@code dir}. */
    public static void writeRecoveryPoint(Path dir, RecoveryPoint point) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(RECOVERY_POINT_SIZE);
        buffer.putInt(MAGIC).putInt(VERSION).putLong(point.offset()).putLong(point.segmentBaseOffset())
                .putInt(point.position()).putLong(point.logStartOffset());
        buffer.putInt((int) crc(buffer.array(), RECOVERY_POINT_SIZE - 4));
        AtomicFiles.write(dir.resolve(RECOVERY_POINT_FILE), buffer.array());
    }

    /** The saved recovery point, or empty when there is none or it is damaged. */
    public static Optional<RecoveryPoint> readRecoveryPoint(Path dir) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(RECOVERY_POINT_FILE));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length != RECOVERY_POINT_SIZE) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt(RECOVERY_POINT_SIZE - 4) != (int) crc(bytes, RECOVERY_POINT_SIZE - 4)
                || buffer.getInt() != MAGIC || buffer.getInt() != VERSION) {
            return Optional.empty();
        }
        RecoveryPoint point = new RecoveryPoint(buffer.getLong(), buffer.getLong(), buffer.getInt(), buffer.getLong());
        boolean sane = point.position() >= 0 && point.segmentBaseOffset() >= 0
                && point.offset() >= point.segmentBaseOffset() && point.logStartOffset() >= 0;
        return sane ? Optional.of(point) : Optional.empty();
    }

    /** Saves the epoch history's {@code entries} in {@code dir}. */
    public static void writeEpochs(Path dir, List<EpochHistory.Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(entries.size()).append('\n');
        for (EpochHistory.Entry entry : entries) {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        AtomicFiles.write(dir.resolve(LEADER_EPOCH_FILE), text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The saved epoch entries, or empty when the file is missing or malformed. */
    public static Optional<List<EpochHistory.Entry>> readEpochs(Path dir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(LEADER_EPOCH_FILE), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                return Optional.empty();
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() != count + 2) {
                return Optional.empty();
            }
            List<EpochHistory.Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String[] fields = lines.get(i + 2).trim().split(" ");
                if (fields.length != 2) {
                    return Optional.empty();
                }
                EpochHistory.Entry entry = new EpochHistory.Entry(Integer.parseInt(fields[0]),
                        Long.parseLong(fields[1]));
                if (!entries.isEmpty() && !follows(entries.get(entries.size() - 1), entry)) {
                    return Optional.empty();
                }
                entries.add(entry);
            }
            return Optional.of(entries);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static boolean follows(EpochHistory.Entry previous, EpochHistory.Entry next) {
        return next.epoch() > previous.epoch() && next.startOffset() >= previous.startOffset();
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
