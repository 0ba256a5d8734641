package io.sluice.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class VarintsTest {
    @Test
    void knownEncodings() {
        assertArrayEquals(new byte[] {0}, encode(0));
        assertArrayEquals(new byte[] {1}, encode(-1));
        assertArrayEquals(new byte[] {2}, encode(1));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, encode(64));
        assertArrayEquals(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F},
                encode(Integer.MAX_VALUE));
    }

    @Test
    void intsRoundTripAndSizesAgree() {
        qt().forAll(integers().all()).checkAssert(v -> {
            byte[] bytes = encode(v);
            assertEquals(bytes.length, Varints.sizeOfVarint(v));
            assertEquals(v, Varints.readVarint(ByteBuffer.wrap(bytes)));
        });
    }

    @Test
    void longsRoundTripAndSizesAgree() {
        qt().forAll(longs().all()).checkAssert(v -> {
            ByteBuffer out = ByteBuffer.allocate(10);
            Varints.writeVarlong(v, out);
            assertEquals(out.position(), Varints.sizeOfVarlong(v));
            assertEquals(v, Varints.readVarlong(out.flip()));
        });
    }

    @Test
    void overlongAndTruncatedValuesAreRejected() {
        byte[] sixBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertThrows(RecordBatchException.class, () -> Varints.readVarint(ByteBuffer.wrap(sixBytes)));
        assertThrows(RecordBatchException.class, () -> Varints.readVarint(ByteBuffer.wrap(new byte[] {(byte) 0x80})));
        assertThrows(RecordBatchException.class, () -> Varints.readVarlong(ByteBuffer.wrap(new byte[11])
                .put(0, (byte) 0x80).put(1, (byte) 0x80).put(2, (byte) 0x80).put(3, (byte) 0x80)
                .put(4, (byte) 0x80).put(5, (byte) 0x80).put(6, (byte) 0x80).put(7, (byte) 0x80)
                .put(8, (byte) 0x80).put(9, (byte) 0x80)));
    }

    private static byte[] encode(int value) {
        ByteBuffer out = ByteBuffer.allocate(5);
        Varints.writeVarint(value, out);
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }
}
