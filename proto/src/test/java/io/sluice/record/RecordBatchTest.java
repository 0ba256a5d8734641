package io.sluice.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordBatchTest {

    /** CRC-32C written out bit by bit (reflected polynomial 0x82F63B78), independent of the JDK's. */
    static long referenceCrc32c(byte[] data, int from, int to) {
        int crc = 0xFFFFFFFF;
        for (int i = from; i < to; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return Integer.toUnsignedLong(~crc);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void referenceCrcMatchesTheStandardCheckValue() {
        byte[] check = utf8("123456789");
        assertEquals(0xE3069283L, referenceCrc32c(check, 0, check.length));
    }

    @Test
    void builderWritesExactlyTheDocumentedLayout() throws IOException {
        ByteBuffer built = new RecordBatchBuilder(CompressionType.NONE)
                .producer(7L, (short) 3, 11)
                .append(1_000L, utf8("k"), utf8("value"), List.of(new Header("h", utf8("x"))))
                .build();

        ByteArrayOutputStream recordBytes = new ByteArrayOutputStream();
        // record: attributes 0, timestampDelta 0, offsetDelta 0, key "k", value "value", 1 header h=x
        byte[] body = {0, 0, 0, 2, 'k', 10, 'v', 'a', 'l', 'u', 'e', 2, 2, 'h', 2, 'x'};
        recordBytes.write(body.length * 2);
        recordBytes.write(body);
        byte[] records = recordBytes.toByteArray();

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeLong(0L);                       // base offset
        out.writeInt(61 - 12 + records.length);  // length after this field
        out.writeInt(-1);                        // partition leader epoch
        out.writeByte(2);                        // magic
        out.writeInt(0);                         // crc, filled below
        out.writeShort(0);                       // attributes
        out.writeInt(0);                         // last offset delta
        out.writeLong(1_000L);                   // base timestamp
        out.writeLong(1_000L);                   // max timestamp
        out.writeLong(7L);                       // producer id
        out.writeShort(3);                       // producer epoch
        out.writeInt(11);                        // base sequence
        out.writeInt(1);                         // record count
        out.write(records);
        byte[] want = expected.toByteArray();
        long crc = referenceCrc32c(want, 21, want.length);
        ByteBuffer.wrap(want).putInt(17, (int) crc);

        assertArrayEquals(want, bytes(built));
        assertEquals(crc, RecordBatch.wrap(built).crc());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"NONE", "GZIP", "LZ4", "ZSTD"})
    void roundTripsRecordsOfEveryShape(CompressionType compression) {
        Random random = new Random(42);
        RecordBatchBuilder builder = new RecordBatchBuilder(compression);
        List<Record> expected = new ArrayList<>();
        long base = 1_700_000_000_000L;
        for (int i = 0; i < 200; i++) {
            byte[] key = i % 5 == 0 ? null : randomBytes(random, random.nextInt(40));
            byte[] value = i % 7 == 0 ? null : randomBytes(random, random.nextInt(3000));
            List<Header> headers = i % 3 == 0 ? List.of()
                    : List.of(new Header("trace-" + i, randomBytes(random, 8)), new Header("empty", null));
            long timestamp = base + random.nextInt(100_000);
            builder.append(timestamp, key, value, headers);
            expected.add(new Record(i, timestamp, key, value, headers));
        }
        ByteBuffer batch = builder.build();

        RecordBatch view = RecordBatch.wrap(batch).validate(Integer.MAX_VALUE);
        assertEquals(compression, view.compressionType());
        assertEquals(200, view.recordCount());
        assertEquals(199, view.lastOffsetDelta());
        assertEquals(expected, view.records());
        assertEquals(expected.stream().mapToLong(Record::timestampMs).max().orElseThrow(), view.maxTimestamp());
    }

    @Test
    void leaderStampsOffsetAndEpochWithoutBreakingTheCrc() {
        ByteBuffer batch = new RecordBatchBuilder(CompressionType.NONE)
                .append(5L, null, utf8("a")).append(6L, null, utf8("b")).build();
        RecordBatch.stampOffsetAndEpoch(batch, 1_000L, 9);
        RecordBatch view = RecordBatch.wrap(batch).validate(Integer.MAX_VALUE);
        assertEquals(1_000L, view.baseOffset());
        assertEquals(1_001L, view.lastOffset());
        assertEquals(9, view.partitionLeaderEpoch());
        assertEquals(List.of(1_000L, 1_001L), view.records().stream().map(Record::offset).toList());
    }

    @Test
    void logAppendTimeReplacesEveryTimestampAndKeepsTheBatchValid() {
        ByteBuffer batch = new RecordBatchBuilder(CompressionType.NONE)
                .append(5L, null, utf8("a")).append(6L, null, utf8("b")).build();
        RecordBatch.stampLogAppendTime(batch, 99_000L);
        RecordBatch view = RecordBatch.wrap(batch).validate(Integer.MAX_VALUE);
        assertEquals(TimestampType.LOG_APPEND_TIME, view.timestampType());
        assertEquals(List.of(99_000L, 99_000L), view.records().stream().map(Record::timestampMs).toList());
    }

    @Test
    void aReadOnlyHeapBatchLargerThanTheChecksumScratchIsCheckedWhole() {
        Random random = new Random(7);
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
        for (int r = 0; r < 40; r++) {
            byte[] value = new byte[1000];
            random.nextBytes(value);
            builder.append(r, utf8("k" + r), value);
        }
        byte[] good = bytes(builder.build());
        assertTrue(good.length > 32 * 1024, "spans more than two 16 KiB scratch chunks");
        ByteBuffer framed = ByteBuffer.allocate(good.length + 10);
        framed.position(7);
        framed.put(good).flip().position(7);
        RecordBatch.wrap(framed.slice().asReadOnlyBuffer()).validate(Integer.MAX_VALUE);
        for (int at : new int[] {RecordBatch.ATTRIBUTES_OFFSET + 1, 16 * 1024 + 3, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            RecordBatchException e = assertThrows(RecordBatchException.class,
                    () -> RecordBatch.wrap(ByteBuffer.wrap(bad).asReadOnlyBuffer()).validate(Integer.MAX_VALUE),
                    "byte " + at);
            assertEquals(ErrorCode.ERROR_CODE_CORRUPT_BATCH, e.errorCode(), "byte " + at);
        }
    }

    @Test
    void everyFlippedBitIsCaughtByTheCrcOrTheHeaderChecks() {
        byte[] good = bytes(new RecordBatchBuilder(CompressionType.NONE)
                .producer(1L, (short) 0, 0).append(5L, utf8("key"), utf8("some value")).build());
        for (int bit = (RecordBatch.ATTRIBUTES_OFFSET - 4) * 8; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            RecordBatchException e = assertThrows(RecordBatchException.class,
                    () -> RecordBatch.wrap(bad).validate(Integer.MAX_VALUE), "bit " + bit);
            assertTrue(e.errorCode() == ErrorCode.ERROR_CODE_CORRUPT_BATCH, "bit " + bit + ": " + e.getMessage());
        }
    }

    @Test
    void truncatedAndPaddedBatchesAreRejected() {
        byte[] good = bytes(new RecordBatchBuilder(CompressionType.NONE).append(5L, null, utf8("v")).build());
        for (int length = 0; length < good.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(good, length);
            RecordBatchException e = assertThrows(RecordBatchException.class, () -> RecordBatch.wrap(cut));
            assertEquals(ErrorCode.ERROR_CODE_INVALID_BATCH, e.errorCode());
        }
        byte[] padded = java.util.Arrays.copyOf(good, good.length + 1);
        RecordBatchException e = assertThrows(RecordBatchException.class, () -> RecordBatch.wrap(padded));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void headerProblemsGetTheirOwnCodes() {
        assertCode(ErrorCode.ERROR_CODE_BATCH_TOO_LARGE, good -> { }, 10);
        assertCode(ErrorCode.ERROR_CODE_UNSUPPORTED_BATCH_VERSION, good -> good.put(RecordBatch.MAGIC_OFFSET, (byte) 1),
                Integer.MAX_VALUE);
        assertCode(ErrorCode.ERROR_CODE_INVALID_BATCH,
                good -> good.putInt(RecordBatch.RECORD_COUNT_OFFSET, 0), Integer.MAX_VALUE);
        assertCode(ErrorCode.ERROR_CODE_INVALID_BATCH,
                good -> good.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 4), Integer.MAX_VALUE);
        assertCode(ErrorCode.ERROR_CODE_UNSUPPORTED_COMPRESSION,
                good -> good.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 2), Integer.MAX_VALUE);
        assertCode(ErrorCode.ERROR_CODE_UNSUPPORTED_COMPRESSION,
                good -> good.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 7), Integer.MAX_VALUE);
        assertCode(ErrorCode.ERROR_CODE_INVALID_BATCH,
                good -> good.putLong(RecordBatch.PRODUCER_ID_OFFSET, -5L), Integer.MAX_VALUE);
        assertCode(ErrorCode.ERROR_CODE_INVALID_BATCH,
                good -> good.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, 3), Integer.MAX_VALUE);
    }

    /** Applies {@code damage} to a good batch, re-seals the CRC so only the header check can object. */
    private static void assertCode(ErrorCode expected, java.util.function.Consumer<ByteBuffer> damage, int maxBytes) {
        ByteBuffer batch = new RecordBatchBuilder(CompressionType.NONE).append(5L, null, utf8("v")).build();
        damage.accept(batch);
        byte[] raw = bytes(batch);
        ByteBuffer.wrap(raw).putInt(RecordBatch.CRC_OFFSET, (int) referenceCrc32c(raw, 21, raw.length));
        RecordBatchException e = assertThrows(RecordBatchException.class,
                () -> RecordBatch.wrap(raw).validate(maxBytes));
        assertEquals(expected, e.errorCode(), e.getMessage());
    }

    @Test
    void damagedRecordsInsideAValidHeaderAreRejectedOnDecode() {
        ByteBuffer batch = new RecordBatchBuilder(CompressionType.NONE)
                .append(5L, utf8("k"), utf8("value")).append(6L, utf8("k"), utf8("value")).build();
        byte[] raw = bytes(batch);
        raw[RecordBatch.HEADER_SIZE] = 0x7F; // first record's length varint now claims far too much
        ByteBuffer.wrap(raw).putInt(RecordBatch.CRC_OFFSET, (int) referenceCrc32c(raw, 21, raw.length));
        RecordBatch view = RecordBatch.wrap(raw).validate(Integer.MAX_VALUE);
        RecordBatchException e = assertThrows(RecordBatchException.class, view::records);
        assertEquals(ErrorCode.ERROR_CODE_INVALID_BATCH, e.errorCode());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"GZIP", "LZ4", "ZSTD"})
    void damagedCompressedSectionsAreCorruptNotCrashes(CompressionType compression) {
        byte[] raw = bytes(new RecordBatchBuilder(compression).append(5L, utf8("k"), new byte[2000]).build());
        for (int i = RecordBatch.HEADER_SIZE; i < raw.length; i += 3) {
            byte[] bad = raw.clone();
            bad[i] ^= 0x5A;
            ByteBuffer.wrap(bad).putInt(RecordBatch.CRC_OFFSET, (int) referenceCrc32c(bad, 21, bad.length));
            try {
                RecordBatch.wrap(bad).validate(Integer.MAX_VALUE).records();
            } catch (RecordBatchException expected) {
                assertTrue(expected.errorCode() == ErrorCode.ERROR_CODE_CORRUPT_BATCH
                        || expected.errorCode() == ErrorCode.ERROR_CODE_INVALID_BATCH, expected.getMessage());
            }
        }
    }

    @Test
    void compressionShrinksRepetitiveRecords() {
        for (CompressionType compression : List.of(CompressionType.GZIP, CompressionType.LZ4, CompressionType.ZSTD)) {
            RecordBatchBuilder plain = new RecordBatchBuilder(CompressionType.NONE);
            RecordBatchBuilder packed = new RecordBatchBuilder(compression);
            for (int i = 0; i < 100; i++) {
                byte[] line = utf8("GET /index.html HTTP/1.1 200 " + i);
                plain.append(i, null, line);
                packed.append(i, null, line);
            }
            assertTrue(packed.build().remaining() < plain.build().remaining() / 2, compression.configName());
        }
    }

    @Test
    void splitsConcatenatedBatchesAndRejectsAPartialTail() {
        ByteBuffer one = new RecordBatchBuilder(CompressionType.NONE).append(1L, null, utf8("a")).build();
        ByteBuffer two = new RecordBatchBuilder(CompressionType.GZIP).append(2L, null, utf8("b")).build();
        RecordBatch.stampOffsetAndEpoch(two, 1L, 0);
        ByteBuffer both = ByteBuffer.allocate(one.remaining() + two.remaining()).put(one.duplicate())
                .put(two.duplicate()).flip();
        List<Record> records = RecordBatches.records(both);
        assertEquals(List.of(0L, 1L), records.stream().map(Record::offset).toList());

        ByteBuffer partial = both.duplicate();
        partial.limit(partial.limit() - 1);
        assertThrows(RecordBatchException.class, () -> RecordBatches.split(partial));
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
