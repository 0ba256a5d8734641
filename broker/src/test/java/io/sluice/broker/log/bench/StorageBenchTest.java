package io.sluice.broker.log.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.log.NoMappingLeaks;
import io.sluice.common.SystemClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage benchmark on a few MiB: every measurement moves the bytes it should, through the real
 * log and dd, yields a positive finite throughput, and leaves no file and no mapping behind. It checks
 * no duration: the figures of a loaded test machine mean nothing.
 */
@ExtendWith(NoMappingLeaks.class)
class StorageBenchTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StorageBench bench = new StorageBench(SystemClock.INSTANCE,
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void measuresEveryBatchSizeAndCleansUp() throws IOException {
        BenchOptions options = new BenchOptions(dir, 4, List.of(16, 64), 1, 256, 1, 1);

        StorageBench.Report report = bench.measure(options);

        assertEquals(2, report.rows().size());
        for (StorageBench.Row row : report.rows()) {
            long batch = row.batchKib() * 1024L;
            assertEquals(4 * MIB, row.dd().bytes());
            assertTrue(row.append().bytes() >= 4 * MIB && row.append().bytes() < 4 * MIB + 2 * batch, row::toString);
            assertEquals(row.append().bytes(), row.read().bytes(), "the read pass returns every appended byte");
            assertTrue(row.append().events() >= 4 * MIB / (batch + 1024), "appends counted: " + row);
            assertEquals(MIB, row.ddDsync().bytes());
            assertTrue(row.everyBatch().bytes() >= MIB, row::toString);
            for (Measurement m : List.of(row.dd(), row.append(), row.read(), row.ddDsync(), row.everyBatch())) {
                assertTrue(m.mbPerSecond() > 0 && Double.isFinite(m.mbPerSecond()), m::toString);
            }
            assertTrue(row.ratio() > 0 && Double.isFinite(row.ratio()));
        }
        assertEquals(1, report.ddFdatasync().size());
        assertEquals(4 * MIB, report.ddFdatasync().get(0).bytes());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the benchmark deletes its files");
        }
    }

    @Test
    void commandPrintsTablesWithTheTargets() {
        int code = bench.run(List.of("--dir", dir.toString(), "--size-mb", "2", "--batch-kib", "32",
                "--fsync-mb", "0", "--repeat", "1", "--warmup-mb", "0"));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("| 1 | 32 KiB |"), printed);
        assertTrue(printed.contains("target 70%") && printed.contains("target 2 GB/s"), printed);
        assertTrue(printed.contains("directory: "), printed);
    }

    @Test
    void badUsageIsExitCodeTwo() {
        assertEquals(2, bench.run(List.of("--batch-kib", "0")));
        assertEquals(2, bench.run(List.of("--size-mb", "many")));
        assertEquals(2, bench.run(List.of("--bogus", "1")));
        assertEquals(2, bench.run(List.of("--repeat")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: sluice bench storage"));
    }

    @Test
    void verdictSaysHowFarFromTheTarget() {
        assertEquals("met (+10%)", ReportTable.verdict(1.10));
        assertEquals("missed (-25%)", ReportTable.verdict(0.75));
        assertEquals("met (+0%)", ReportTable.verdict(1.0));
    }
}
