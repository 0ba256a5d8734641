package io.sluice.metastore.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.RandomCommands;
import io.sluice.proto.internal.v1.CommandBatch;
import io.sluice.proto.internal.v1.MetaCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restoring a snapshot gives the state replaying the log gives: for random logs (single commands and
 * group-commit batches) and a random cut, (snapshot at the cut, written to disk and read back) + (the
 * rest of the log) equals (the whole log), and equal images encode to equal bytes. Also: corrupt
 * snapshot files are refused.
 */
class SnapshotReplayTest {
    @TempDir
    Path dir;

    /**
     * A random log of {@code count} entries: one entry in four is a group-commit batch of up to five
     * batchable commands, each generated for the state the previous ones leave.
     */
    private static List<MetaCommand> commands(long seed, int count, List<MetadataImage> images) {
        RandomCommands gen = new RandomCommands(seed);
        Random batching = new Random(seed);
        List<MetaCommand> out = new ArrayList<>();
        MetadataImage image = MetadataImage.EMPTY;
        images.add(image);
        for (int i = 0; i < count; i++) {
            MetaCommand entry = gen.next(image);
            if (batching.nextInt(4) == 0 && MetadataApplier.batchable(entry)) {
                CommandBatch.Builder batch = CommandBatch.newBuilder().addCommands(entry);
                MetadataImage ahead = MetadataApplier.apply(image, entry, i + 1, 1 + i / 50).image();
                for (int n = 1 + batching.nextInt(5); batch.getCommandsCount() < n; ) {
                    MetaCommand next = gen.next(ahead);
                    if (!MetadataApplier.batchable(next)) {
                        break;
                    }
                    batch.addCommands(next);
                    ahead = MetadataApplier.apply(ahead, next, i + 1, 1 + i / 50).image();
                }
                entry = MetaCommand.newBuilder().setBatch(batch).build();
            }
            out.add(entry);
            image = MetadataApplier.apply(image, entry, i + 1, 1 + i / 50).image();
            images.add(image);
        }
        return out;
    }

    @Test
    void snapshotPlusRestOfLogEqualsReplay() {
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 250), integers().between(0, 100))
                .checkAssert((seed, count, cutPercent) -> {
                    List<MetadataImage> images = new ArrayList<>();
                    List<MetaCommand> log = commands(seed, count, images);
                    int cut = count * cutPercent / 100;
                    Path file = dir.resolve("snapshot." + seed + "_" + cut);
                    MetadataImage restored;
                    try {
                        SnapshotFiles.write(images.get(cut), file, dir.resolve("tmp"));
                        restored = SnapshotFiles.read(file);
                        Files.delete(file);
                        Files.deleteIfExists(dir.resolve("snapshot." + seed + "_" + cut + ".md5"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    assertEquals(images.get(cut), restored);
                    InvariantChecker.checkAll(restored);
                    MetadataImage replayed = restored;
                    for (int i = cut; i < count; i++) {
                        replayed = MetadataApplier.apply(replayed, log.get(i), i + 1, 1 + i / 50).image();
                    }
                    MetadataImage full = images.get(count);
                    assertEquals(full, replayed);
                    assertArrayEquals(SnapshotCodec.encode(full).toByteArray(),
                            SnapshotCodec.encode(replayed).toByteArray());
                });
    }

    @Test
    void aDamagedSnapshotIsRefused() throws IOException {
        List<MetadataImage> images = new ArrayList<>();
        commands(7, 80, images);
        Path file = dir.resolve("snapshot.1_80");
        SnapshotFiles.write(images.get(80), file, dir.resolve("tmp"));
        assertTrue(Files.exists(dir.resolve("snapshot.1_80.md5")), "the MD5 file Ratis checks is written");
        assertTrue(Files.list(dir.resolve("tmp")).findAny().isEmpty(), "no temporary file is left");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> SnapshotFiles.read(file));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        Files.write(file, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> SnapshotFiles.read(file));
    }
}
