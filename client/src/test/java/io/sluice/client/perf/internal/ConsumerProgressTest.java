package io.sluice.client.perf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kafka's progress lines: rates per interval, the rebalance split, no line without records. */
class ConsumerProgressTest {
    private static final long MS = 1_000_000L;
    private static final long MIB = 1024 * 1024;

    private static List<String> columns(String line) {
        return List.of(line.split(", "));
    }

    @Test
    void theFirstLineSplitsItsIntervalAtTheFirstAssignment() {
        ConsumerProgress progress = new ConsumerProgress(1_000 * MS);

        // assigned 300 ms after the start; 2 MiB and 2,000 records by 1,000 ms after it
        List<String> line = columns(progress.line(2_000 * MS, 0, 2_000, 2 * MIB, 1_300 * MS).orElseThrow());

        assertEquals(10, line.size(), line.toString());
        assertEquals("0", line.get(1));
        assertEquals(List.of("2.0000", "2.0000", "2000", "2000.0000", "300", "700", "2.8571", "2857.1429"),
                line.subList(2, 10));
    }

    @Test
    void laterLinesCountOnlyTheirOwnInterval() {
        ConsumerProgress progress = new ConsumerProgress(0);
        progress.line(500 * MS, 0, 100, MIB, 0).orElseThrow();

        List<String> line = columns(progress.line(1_000 * MS, 0, 1_100, 3 * MIB, 0).orElseThrow());

        assertEquals(List.of("3.0000", "4.0000", "1100", "2000.0000", "0", "500", "4.0000", "2000.0000"),
                line.subList(2, 10));
    }

    @Test
    void anIntervalWithoutRecordsFoldsIntoTheNextLine() {
        ConsumerProgress progress = new ConsumerProgress(0);
        progress.line(500 * MS, 0, 100, MIB, 0).orElseThrow();

        assertTrue(progress.line(1_000 * MS, 0, 100, MIB, 0).isEmpty());
        List<String> line = columns(progress.line(1_500 * MS, 0, 1_100, 2 * MIB, 0).orElseThrow());

        assertEquals("1000", line.get(7), "the idle interval belongs to this line");
        assertEquals("1000.0000", line.get(5));
    }

    @Test
    void beforeAnyAssignmentTheWholeIntervalIsRebalance() {
        ConsumerProgress progress = new ConsumerProgress(0);

        List<String> line = columns(progress.line(400 * MS, 0, 1, 1, Long.MAX_VALUE).orElseThrow());

        assertEquals(List.of("400", "0", "0.0000", "0.0000"), line.subList(6, 10));
    }
}
