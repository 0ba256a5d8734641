package io.sluice.broker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.common.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with 10,000 partition logs: counts this process's open files ({@code /proc/self/fd}) and
 * memory mappings ({@code /proc/self/maps}) after creating the logs, after appending to each, after
 * the maintenance pass that unmaps idle segments, after reading from each, and after closing. The
 * figures are printed (and recorded in {@code docs/storage.md}).
 *
 * <p>The bounds asserted follow from the design, not from a measurement: an idle log holds no file
 * open and nothing mapped; a log in use holds exactly one mapping and one file descriptor per mapped
 * segment (Chronicle keeps the file open while it is mapped; index files are read and written whole,
 * never kept open). 200 of slack absorb what the JVM itself opens meanwhile. Linux only.
 */
class ManyPartitionsResourceTest {
    static final int PARTITIONS = Integer.getInteger("sluice.partitions", 1_000);
    static final int SLACK = 200;

    @TempDir
    Path dataDir;

    /** The report, printed line by line as it grows (a failed run still shows how far it got). */
    static final class Report extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean add(String line) {
            System.out.println("  " + line);
            return super.add(line);
        }
    }

    record Usage(long files, long mappings) {
        Usage minus(Usage base) {
            return new Usage(files - base.files, mappings - base.mappings);
        }
    }

    private long lapNs = System.nanoTime();

    /** Time since the last lap, for the report only (nothing asserts it). */
    private String lap() {
        long now = System.nanoTime();
        String text = (now - lapNs) / 1_000_000 + " ms";
        lapNs = now;
        return text;
    }

    static Usage usage() throws IOException {
        // Chronicle unmaps released mappings on its background releaser thread: count once it caught up.
        BackgroundResourceReleaser.releasePendingResources();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return new Usage(fds.count(), Files.readAllLines(Path.of("/proc/self/maps")).size());
        }
    }

    @Test
    void tenThousandLogsHoldNothingOpenWhenIdle() throws IOException {
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            System.out.println("ManyPartitionsResourceTest: no /proc, nothing to measure");
            return;
        }
        ManualClock clock = new ManualClock(1_000_000);
        StorageConfig config = new StorageConfig(dataDir, LogConfig.DEFAULT, 1 << 20, 1000, 60_000, 30_000, 8);
        Usage base = usage();
        lap();
        List<String> report = new Report();
        try (LogManager manager = LogManager.open(config, clock, HighWatermarkSource.UNKNOWN, () -> Long.MAX_VALUE)) {
            List<ChronicleLog> logs = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                TopicIdPartition partition = new TopicIdPartition(new UUID(7, i / 100), i % 100);
                logs.add(manager.getOrCreateLog(partition, LogConfig.DEFAULT));
            }
            Usage created = usage().minus(base);
            report.add("created " + created + " in " + lap());
            assertTrue(created.files() < SLACK && created.mappings() < SLACK,
                    "an unused log holds nothing: " + created);

            for (ChronicleLog log : logs) {
                log.appendAsLeader(TestBatches.batch(10, 1000, 100), 0, 0);
            }
            Usage hot = usage().minus(base);
            report.add("after one append each " + hot + ", mapped segments " + manager.mappedSegmentCount() + " in "
                    + lap());
            assertEquals(PARTITIONS, manager.mappedSegmentCount());
            assertTrue(hot.files() < PARTITIONS + SLACK && hot.mappings() < PARTITIONS + SLACK,
                    "one file and one mapping per active segment: " + hot);

            clock.advanceMs(config.idleUnmapMs());
            manager.poll(clock.wallMs());
            Usage idle = usage().minus(base);
            report.add("after the idle sweep " + idle + ", mapped segments " + manager.mappedSegmentCount() + " in "
                    + lap());
            assertEquals(0, manager.mappedSegmentCount());
            assertTrue(idle.files() < SLACK && idle.mappings() < SLACK, "idle logs hold nothing: " + idle);

            for (ChronicleLog log : logs) {
                assertEquals(1, TestBatches.validBatches(log.read(0, 1 << 20, Long.MAX_VALUE, true).records()).size());
            }
            Usage read = usage().minus(base);
            report.add("after one read each " + read + " in " + lap());
            assertTrue(read.files() < PARTITIONS + SLACK && read.mappings() < PARTITIONS + SLACK, read.toString());
            clock.advanceMs(config.idleUnmapMs());
            manager.poll(clock.wallMs());
            report.add("after the next idle sweep " + usage().minus(base));
        }
        Usage closed = usage().minus(base);
        report.add("after close " + closed + " in " + lap());
        System.out.println("ManyPartitionsResourceTest, " + PARTITIONS + " partitions, growth over the baseline "
                + base + ":\n  " + String.join("\n  ", report));
        assertTrue(closed.files() < SLACK && closed.mappings() < SLACK, "closing released everything: " + closed);
    }
}
