package io.sluice.jepsen.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage damage on files laid out like a node's data directory. */
class StorageFaultsTest {
    private static final int DATA = 3_000;
    private static final int PADDING = 5_192;

    @TempDir
    Path data;

    private Path p0first;
    private Path raftFile;
    private Path p0newest;
    private Path p1only;
    private Path index;

    @BeforeEach
    void layOut() throws IOException {
        p0first = segment("queue-0", "00000000000000000000.log", 11);
        p0newest = segment("queue-0", "00000000000000000120.log", 22);
        p1only = segment("queue-1", "00000000000000000000.log", 33);
        index = data.resolve("queue-0").resolve("00000000000000000000.index");
        Files.write(index, bytes(1, 100));
        Files.write(data.resolve("queue-0").resolve("leader-epoch-checkpoint.log"), bytes(5, 50));
        raftFile = segment("metadata/group", "00000000000000000000.log", 44);
    }

    /** A preallocated segment: data, then zeros up to the mapped size. */
    private Path segment(String partition, String name, int seed) throws IOException {
        Path file = data.resolve(partition).resolve(name);
        Files.createDirectories(file.getParent());
        byte[] content = Arrays.copyOf(bytes(seed, DATA), DATA + PADDING);
        Files.write(file, content);
        return file;
    }

    private static byte[] bytes(int seed, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (1 + (seed + i) % 200);
        }
        return bytes;
    }

    @Test
    void segmentsAreFoundByTheirNamesAloneOutsideTheRaftMetadata() throws IOException {
        assertEquals(List.of(p0first, p0newest, p1only), StorageFaults.segments(data),
                "a segment-named file under metadata/ is Raft's, never damaged");
        assertEquals(DATA, StorageFaults.dataEnd(p0first));
        assertEquals(0, StorageFaults.dataEnd(Files.write(data.resolve("zeros"), new byte[4096])));
        assertEquals(List.of(), StorageFaults.segments(data.resolve("missing")));
    }

    @Test
    void truncationCutsOneSegmentInsideItsDataAndKeepsTheRest() throws IOException {
        byte[] before = Files.readAllBytes(p0first);
        StorageFaults.Damage damage = StorageFaults.truncateTail(data, new SplittableRandom(7)).orElseThrow();
        assertEquals("truncate", damage.action());
        assertTrue(damage.sizeAfter() < DATA, damage.toString());
        assertEquals(damage.sizeAfter(), Files.size(damage.file()));
        byte[] after = Files.readAllBytes(damage.file());
        byte[] original = damage.file().equals(p0first) ? before : Arrays.copyOf(bytes(
                damage.file().equals(p0newest) ? 22 : 33, DATA), DATA + PADDING);
        assertArrayEquals(Arrays.copyOf(original, after.length), after, "what is left is unchanged");
        long untouched = List.of(p0first, p0newest, p1only).stream().filter(f -> !f.equals(damage.file()))
                .filter(f -> size(f) == DATA + PADDING).count();
        assertEquals(2, untouched);
        assertEquals(100, Files.size(index), "indexes are left alone");
        assertEquals(damage.sizeAfter(), StorageFaults.truncateTail(copyOf(), new SplittableRandom(7)).orElseThrow()
                .sizeAfter(), "the same seed cuts at the same point");
    }

    @Test
    void bitFlipsChangeExactlyTheChosenBitsWithinTheData() throws IOException {
        byte[][] before = {Files.readAllBytes(p0first), Files.readAllBytes(p0newest), Files.readAllBytes(p1only)};
        StorageFaults.Damage damage = StorageFaults.flipBits(data, 9, new SplittableRandom(3)).orElseThrow();
        assertEquals(9, damage.bits().size());
        List<Path> files = List.of(p0first, p0newest, p1only);
        int flipped = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] after = Files.readAllBytes(files.get(f));
            assertEquals(before[f].length, after.length, "sizes stay");
            for (int i = 0; i < after.length; i++) {
                int diff = (before[f][i] ^ after[i]) & 0xff;
                if (diff != 0) {
                    assertEquals(damage.file(), files.get(f));
                    assertTrue(i < DATA, "flips stay inside the data");
                }
                flipped += Integer.bitCount(diff);
            }
        }
        assertEquals(9, flipped);
        for (long bit : damage.bits()) {
            assertTrue(bit / 8 < DATA);
        }
    }

    @Test
    void losingUnflushedWritesCutsTheNewestSegmentOfEachPartition() throws IOException {
        List<StorageFaults.Damage> damage = StorageFaults.loseUnflushed(data, new SplittableRandom(11));
        assertEquals(List.of(p0newest, p1only), damage.stream().map(StorageFaults.Damage::file).toList());
        assertEquals(DATA + PADDING, Files.size(p0first), "older segments keep what was flushed with them");
        assertTrue(Files.size(p0newest) < DATA && Files.size(p1only) < DATA);
        assertEquals(DATA + PADDING, Files.size(raftFile), "the Raft metadata is left alone");
    }

    @Test
    void aSimulatedMachineRestartChangesTheBrokersStopMarkersOnly() throws IOException {
        Path logs = Files.createDirectories(data.resolve("logs"));
        Files.writeString(logs.resolve("clean-stop"), "");
        Files.writeString(logs.resolve("boot-id"), "b\n");
        assertEquals(2, StorageFaults.simulateMachineRestart(data).size());
        assertTrue(Files.notExists(logs.resolve("clean-stop")));
        assertEquals(StorageFaults.EARLIER_BOOT, Files.readString(logs.resolve("boot-id")).trim());
        assertEquals(List.of(p0first, p0newest, p1only), StorageFaults.segments(data));
        Files.delete(logs.resolve("boot-id"));
        assertEquals(List.of(), StorageFaults.simulateMachineRestart(data), "nothing to change");
    }

    @Test
    void nothingToDamageWithoutSegments() throws IOException {
        Path empty = Files.createDirectories(data.resolve("empty"));
        assertEquals(Optional.empty(), StorageFaults.truncateTail(empty, new SplittableRandom(1)));
        assertEquals(Optional.empty(), StorageFaults.flipBits(empty, 3, new SplittableRandom(1)));
        assertEquals(List.of(), StorageFaults.loseUnflushed(empty, new SplittableRandom(1)));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A fresh copy of the original layout, to replay a seed on. */
    private Path copyOf() throws IOException {
        Path copy = Files.createTempDirectory(data, "replay");
        for (String name : List.of("queue-0/00000000000000000000.log", "queue-0/00000000000000000120.log",
                "queue-1/00000000000000000000.log")) {
            Path target = copy.resolve(name);
            Files.createDirectories(target.getParent());
            int seed = name.startsWith("queue-1") ? 33 : name.contains("120") ? 22 : 11;
            Files.write(target, Arrays.copyOf(bytes(seed, DATA), DATA + PADDING));
        }
        return copy;
    }
}
