package io.sluice.jepsen.fault;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Damage done to a stopped node's partition data, knowing only the file names: segments are the
 * files named {@code <20-digit base offset>.log} anywhere under the data directory except its
 * Raft metadata directory {@code metadata/} (which no storage fault touches), one directory per
 * partition replica. Segments may be preallocated (memory-mapped files grow in chunks of
 * zeros), so the damage is placed within a segment's <em>data extent</em>: up to its last non-zero
 * byte. Index, time-index and checkpoint files are left alone: recovery must cope with them no
 * longer matching. Every choice comes from the random passed in. Stateless.
 */
public final class StorageFaults {
    /** The name of a segment file. */
    public static final Pattern SEGMENT = Pattern.compile("\\d{20}\\.log");
    /** The node's Raft metadata directory under its data directory: never damaged, never wiped. */
    public static final String METADATA_DIR = "metadata";
    /** The marker a broker leaves in {@code <data>/logs} when it stopped cleanly. */
    public static final String CLEAN_STOP = "logs/clean-stop";
    /** Where a broker records the boot id of the machine it last started on. */
    public static final String BOOT_ID = "logs/boot-id";
    /** What {@link #simulateMachineRestart} writes as the recorded boot id: not this machine's. */
    public static final String EARLIER_BOOT = "boot-before-a-simulated-machine-crash";
    private static final int SCAN_BLOCK = 1 << 20;

    private StorageFaults() {
    }

    /**
     * What was done to one file.
     *
     * @param file       the segment
     * @param action     {@code truncate}, {@code bitflip} or {@code lose-unflushed}
     * @param sizeBefore its length before
     * @param sizeAfter  its length after
     * @param dataEnd    its data extent before (the offset after its last non-zero byte)
     * @param bits       for bit flips, the bit positions flipped (byte offset * 8 + bit)
     */
    public record Damage(Path file, String action, long sizeBefore, long sizeAfter, long dataEnd, List<Long> bits) {
        public Damage {
            bits = List.copyOf(bits);
        }

        /** For the history. */
        public ObjectNode toJson(Path base) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("file", base.relativize(file).toString());
            node.put("action", action);
            node.put("sizeBefore", sizeBefore);
            node.put("sizeAfter", sizeAfter);
            node.put("dataEnd", dataEnd);
            if (!bits.isEmpty()) {
                bits.forEach(node.withArray("bits")::add);
            }
            return node;
        }
    }

    /** Every segment file under the directory, in path order; nothing under {@link #METADATA_DIR}. */
    public static List<Path> segments(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        Path metadata = dataDir.resolve(METADATA_DIR);
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(f -> !f.startsWith(metadata)).filter(Files::isRegularFile)
                    .filter(f -> SEGMENT.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /** The offset just after the file's last non-zero byte (0 for an empty or all-zero file). */
    public static long dataEnd(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = channel.size();
            ByteBuffer block = ByteBuffer.allocate(SCAN_BLOCK);
            while (end > 0) {
                long start = Math.max(0, end - SCAN_BLOCK);
                block.clear().limit((int) (end - start));
                while (block.hasRemaining()) {
                    if (channel.read(block, start + block.position()) < 0) {
                        break;
                    }
                }
                for (int i = block.position() - 1; i >= 0; i--) {
                    if (block.get(i) != 0) {
                        return start + i + 1;
                    }
                }
                end = start;
            }
            return 0;
        }
    }

    /**
     * Cuts one random segment (among those holding data) at a random point of its data extent:
     * the segment's tail is gone, as after a torn write.
     */
    public static Optional<Damage> truncateTail(Path dataDir, SplittableRandom random) throws IOException {
        List<Path> candidates = withData(segments(dataDir));
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Path segment = candidates.get(random.nextInt(candidates.size()));
        return Optional.of(cut(segment, "truncate", random));
    }

    /**
     * Flips {@code bits} distinct random bits within the data extent of one random segment (fewer
     * if the extent is smaller).
     */
    public static Optional<Damage> flipBits(Path dataDir, int bits, SplittableRandom random) throws IOException {
        if (bits < 1) {
            throw new IllegalArgumentException("flip at least one bit");
        }
        List<Path> candidates = withData(segments(dataDir));
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Path segment = candidates.get(random.nextInt(candidates.size()));
        long size = Files.size(segment);
        long end = dataEnd(segment);
        TreeSet<Long> positions = new TreeSet<>();
        long available = end * 8;
        while (positions.size() < Math.min(bits, available)) {
            positions.add(random.nextLong(available));
        }
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            for (long bit : positions) {
                file.seek(bit / 8);
                int value = file.read();
                file.seek(bit / 8);
                file.write(value ^ (1 << (int) (bit % 8)));
            }
        }
        return Optional.of(new Damage(segment, "bitflip", size, size, end, List.copyOf(positions)));
    }

    /**
     * Loses what was never flushed, as an OS crash would: in every partition directory, the newest
     * segment (highest base offset) is cut back to a random point of its data extent.
     */
    public static List<Damage> loseUnflushed(Path dataDir, SplittableRandom random) throws IOException {
        Map<Path, Path> newestByDir = new TreeMap<>();
        for (Path segment : segments(dataDir)) {
            newestByDir.merge(segment.getParent(), segment,
                    (a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()) >= 0 ? a : b);
        }
        List<Damage> damage = new ArrayList<>();
        for (Path segment : newestByDir.values()) {
            if (dataEnd(segment) > 0) {
                damage.add(cut(segment, "lose-unflushed", random));
            }
        }
        return damage;
    }

    /**
     * Makes a stopped node see a machine restart, as a broker tells one: no clean-stop marker, and a
     * recorded boot id that is not the running machine's. Storage damage comes with a crash of the
     * machine (power loss, torn writes, a failing disk), after which the broker must not claim that
     * its logs kept every write. Returns what was changed, relative to the data directory.
     */
    public static List<String> simulateMachineRestart(Path dataDir) throws IOException {
        List<String> changed = new ArrayList<>();
        if (Files.deleteIfExists(dataDir.resolve(CLEAN_STOP))) {
            changed.add(CLEAN_STOP + " deleted");
        }
        Path bootId = dataDir.resolve(BOOT_ID);
        if (Files.exists(bootId)) {
            Files.writeString(bootId, EARLIER_BOOT + "\n");
            changed.add(BOOT_ID + " set to an earlier boot");
        }
        return changed;
    }

    private static Damage cut(Path segment, String action, SplittableRandom random) throws IOException {
        long size = Files.size(segment);
        long end = dataEnd(segment);
        long at = random.nextLong(end);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(at);
        }
        return new Damage(segment, action, size, at, end, List.of());
    }

    private static List<Path> withData(List<Path> segments) throws IOException {
        List<Path> withData = new ArrayList<>();
        for (Path segment : segments) {
            if (dataEnd(segment) > 0) {
                withData.add(segment);
            }
        }
        return withData;
    }
}
