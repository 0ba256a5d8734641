package io.sluice.broker.log.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.broker.log.NoMappingLeaks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk copies of {@link SegmentMapping}: every kind of source buffer, sizes around the
 * copy chunk (256 KiB) and the small-copy threshold, unaligned positions, and ranges outside
 * the mapping refused before any byte moves.
 */
@ExtendWith(NoMappingLeaks.class)
class SegmentMappingTest {
    private static final int CAPACITY = 2 << 20;

    @TempDir
    Path dir;

    @Test
    void copiesEveryKindOfBufferBothWays() throws IOException {
        copiesEveryKindOfBufferBothWays(true);
    }

    @Test
    void copiesEveryKindOfBufferBothWaysThroughTheStagingBuffer() throws IOException {
        // the path of mappings too large for a write view, or on a JVM where Chronicle cannot make one
        copiesEveryKindOfBufferBothWays(false);
    }

    private void copiesEveryKindOfBufferBothWays(boolean withWriteView) throws IOException {
        SegmentMapping mapping = SegmentMapping.open(dir.resolve("00000000000000000000.log"), CAPACITY, true,
                withWriteView);
        try {
            Random random = new Random(7);
            long position = 3;
            for (int size : List.of(1, 1023, 1024, 4097, 256 * 1024, 256 * 1024 + 1, 600 * 1024)) {
                byte[] data = new byte[size];
                random.nextBytes(data);
                for (ByteBuffer source : sources(data)) {
                    int index = source.position();
                    mapping.write(position, source, index, size);
                    assertEquals(index, source.position(), "the source's position is not used");
                    byte[] back = new byte[size + 2];
                    mapping.copyTo(position, back, 1, size);
                    assertArrayEquals(data, Arrays.copyOfRange(back, 1, size + 1), "size " + size + ", " + source);
                }
                position += size;
            }
        } finally {
            mapping.close();
        }
    }

    @Test
    void refusesRangesOutsideTheMapping() throws IOException {
        SegmentMapping mapping = SegmentMapping.open(dir.resolve("00000000000000000000.log"), CAPACITY, true);
        try {
            byte[] target = new byte[4096];
            assertThrows(IndexOutOfBoundsException.class, () -> mapping.copyTo(CAPACITY - 2048, target, 0, 4096));
            assertThrows(IndexOutOfBoundsException.class, () -> mapping.copyTo(0, target, 1, 4096));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> mapping.write(CAPACITY - 2048, ByteBuffer.wrap(target), 0, 4096));
        } finally {
            mapping.close();
        }
    }

    /** The same bytes as a heap, a read-only heap (as gRPC hands them) and a direct buffer, at index 5. */
    private static List<ByteBuffer> sources(byte[] data) {
        ByteBuffer heap = ByteBuffer.allocate(data.length + 5).position(5).put(data).position(5);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 5).position(5).put(data).position(5);
        return List.of(heap, heap.asReadOnlyBuffer(), direct);
    }
}
