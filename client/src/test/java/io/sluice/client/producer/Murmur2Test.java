package io.sluice.client.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Murmur2Test {
    /** Hashes Kafka's own partitioner produces for these keys: the same key must land alike. */
    @Test
    void matchesKafkasHashes() {
        Map<String, Integer> known = Map.of(
                "21", -973932308,
                "foobar", -790332482,
                "a-little-bit-long-string", -985981536,
                "a-little-bit-longer-string", -1486304829,
                "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971,
                "abc", 479470107);
        known.forEach((key, hash) -> assertEquals(hash, Murmur2.hash(key.getBytes(StandardCharsets.UTF_8)), key));
    }

    @Test
    void partitionsAreInRangeAndStable() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 64), integers().between(1, 10_000))
                .checkAssert((key, partitions) -> {
                    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
                    int p = Murmur2.partitionForKey(bytes, partitions);
                    assertTrue(p >= 0 && p < partitions);
                    assertEquals(p, Murmur2.partitionForKey(bytes.clone(), partitions));
                });
    }

    @Test
    void refusesZeroPartitions() {
        assertThrows(IllegalArgumentException.class, () -> Murmur2.partitionForKey(new byte[1], 0));
    }
}
