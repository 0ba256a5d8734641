package io.sluice.client.perf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(100, h.count());
        assertEquals(50, h.valueAtPercentile(50));
        assertEquals(99, h.valueAtPercentile(99));
        assertEquals(100, h.valueAtPercentile(99.9));
        assertEquals(100, h.valueAtPercentile(100));
        assertEquals(1, h.valueAtPercentile(0));
        assertEquals(50.5, h.mean(), 1e-9);
        assertEquals(1, h.min());
        assertEquals(100, h.max());
    }

    @Test
    void everyValueFallsInABucketWhoseTopIsWithinOnePercentAbove() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(1L << random.nextInt(1, 62));
            int index = LatencyHistogram.indexOf(v);
            long top = LatencyHistogram.highestValueIn(index);
            assertTrue(top >= v, "bucket top " + top + " below value " + v);
            assertTrue(top - v <= v / 128, "bucket of " + v + " too wide: top " + top);
            if (index > 0) {
                assertTrue(LatencyHistogram.highestValueIn(index - 1) < v, "value " + v + " belongs lower");
            }
        }
        assertEquals(LatencyHistogram.indexOf(Long.MAX_VALUE), LatencyHistogram.indexOf(Long.MAX_VALUE - 1));
    }

    @Test
    void percentilesMatchSortedValuesWithinTheBucketWidth() {
        SplittableRandom random = new SplittableRandom(7);
        long[] values = new long[50_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            // a long tail: mostly ~1 ms, some up to ~1 s
            values[i] = random.nextInt(100) < 98 ? 500_000 + random.nextLong(1_000_000)
                    : random.nextLong(1_000_000_000L);
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {50, 95, 99, 99.9, 100}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            long reported = h.valueAtPercentile(p);
            assertTrue(reported >= exact && reported - exact <= exact / 128,
                    "p" + p + ": exact " + exact + ", reported " + reported);
        }
        assertEquals(values[values.length - 1], h.max());
    }

    @Test
    void addCopyAndResetKeepCountsConsistent() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        a.record(-5);
        b.record(1_000_000);
        LatencyHistogram copy = a.copy();
        copy.add(b);
        assertEquals(3, copy.count());
        assertEquals(0, copy.min());
        assertEquals(1_000_000, copy.max());
        assertEquals(2, a.count());
        a.reset();
        assertEquals(0, a.count());
        assertEquals(0, a.valueAtPercentile(99));
        assertEquals(0, a.max());
        assertEquals(0, a.mean());
    }
}
