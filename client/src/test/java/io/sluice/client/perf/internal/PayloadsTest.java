package io.sluice.client.perf.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    @Test
    void valuesAreFreshArraysOfEveryLetterInAboutEqualShares() {
        Payloads payloads = new Payloads(1024, 42);
        long[] counts = new long[26];
        byte[] previous = null;
        int values = 260;
        for (int v = 0; v < values; v++) {
            byte[] value = payloads.next();
            assertEquals(1024, value.length);
            assertFalse(Arrays.equals(previous, value), "two values in a row were equal");
            for (byte b : value) {
                assertTrue(b >= 'A' && b <= 'Z', "not a capital letter: " + b);
                counts[b - 'A']++;
            }
            previous = value;
        }
        long expected = values * 1024L / 26;
        for (int letter = 0; letter < 26; letter++) {
            // 10,240 expected per letter; a standard deviation is about 100
            assertTrue(Math.abs(counts[letter] - expected) < expected / 20,
                    (char) ('A' + letter) + " appeared " + counts[letter] + " times, expected about " + expected);
        }
    }

    @Test
    void aSeedGivesTheSameValuesAndNeighbouringSeedsDifferentOnes() {
        Payloads first = new Payloads(64, 7);
        Payloads again = new Payloads(64, 7);
        Payloads neighbour = new Payloads(64, 8);
        for (int i = 0; i < 10; i++) {
            byte[] value = first.next();
            assertArrayEquals(value, again.next());
            assertFalse(Arrays.equals(value, neighbour.next()));
        }
    }

    @Test
    void aStampedValueCarriesItsStampAndRandomLettersAfterIt() {
        Payloads payloads = new Payloads(20, 1);
        byte[] value = payloads.nextStamped(0x0123456789abcdefL);
        assertEquals(0x0123456789abcdefL, Payloads.stampOf(value));
        for (int i = Payloads.STAMP_BYTES; i < value.length; i++) {
            assertTrue(value[i] >= 'A' && value[i] <= 'Z');
        }
        assertThrows(IllegalStateException.class, () -> new Payloads(4, 1).nextStamped(1));
        assertThrows(IllegalArgumentException.class, () -> new Payloads(-1, 1));
        assertEquals(0, new Payloads(0, 1).next().length);
    }
}
