package io.sluice.broker.log.bench;

import io.sluice.broker.log.bench.StorageBench.Report;
import io.sluice.broker.log.bench.StorageBench.Row;
import java.io.PrintStream;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Prints a {@link StorageBench} report as Markdown tables: every repetition, then the median of each
 * batch size with the targets of issue 3 (append at least 70% of dd's page-cache bandwidth, reads at
 * least 2 GB/s). MB are 10^6 bytes, as dd counts them.
 *
 * <p>Not thread-safe.
 */
final class ReportTable {
    static final double APPEND_TARGET_RATIO = 0.70;
    static final double READ_TARGET_MB_PER_SECOND = 2000;

    private final PrintStream out;

    ReportTable(PrintStream out) {
        this.out = out;
    }

    void print(BenchOptions options, Report report) {
        out.printf("%nPage-cache policy: %d MiB per measurement, reads of %d KiB, 1 KiB records%n%n",
                options.sizeMb(), options.fetchKib());
        out.println("| run | batch | dd MB/s | append MB/s | append / dd | appends/s | read MB/s |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (Row row : report.rows()) {
            out.printf("| %d | %d KiB | %.0f | %.0f | %.0f%% | %.0f | %.0f |%n", row.run(), row.batchKib(),
                    row.dd().mbPerSecond(), row.append().mbPerSecond(), 100 * row.ratio(),
                    row.append().eventsPerSecond(), row.read().mbPerSecond());
        }
        out.printf("%nMedians over %d run(s)%n%n", options.repeat());
        out.println("| batch | dd MB/s | append MB/s | append / dd | target 70% | read MB/s | target 2 GB/s |");
        out.println("|---:|---:|---:|---:|---|---:|---|");
        for (int kib : options.batchKib()) {
            List<Row> rows = report.rows().stream().filter(r -> r.batchKib() == kib).toList();
            double ratio = median(rows, Row::ratio);
            double read = median(rows, r -> r.read().mbPerSecond());
            out.printf("| %d KiB | %.0f | %.0f | %.0f%% | %s | %.0f | %s |%n", kib,
                    median(rows, r -> r.dd().mbPerSecond()), median(rows, r -> r.append().mbPerSecond()),
                    100 * ratio, verdict(ratio / APPEND_TARGET_RATIO), read, verdict(read / READ_TARGET_MB_PER_SECOND));
        }
        if (!report.ddFdatasync().isEmpty()) {
            printFsync(options, report);
        }
    }

    private void printFsync(BenchOptions options, Report report) {
        out.printf("%nEvery-batch fsync policy (for information): %d MiB per measurement%n%n", options.fsyncMb());
        out.println("| run | batch | dd oflag=dsync, bs=batch, MB/s | append MB/s | appends/s |");
        out.println("|---:|---:|---:|---:|---:|");
        for (Row row : report.rows()) {
            out.printf("| %d | %d KiB | %.1f | %.1f | %.0f |%n", row.run(), row.batchKib(),
                    row.ddDsync().mbPerSecond(), row.everyBatch().mbPerSecond(), row.everyBatch().eventsPerSecond());
        }
        out.printf("%ndd conv=fdatasync of %d MiB (device write bandwidth), per run:", options.sizeMb());
        report.ddFdatasync().forEach(m -> out.printf(" %.0f MB/s", m.mbPerSecond()));
        out.println();
    }

    /** "met (+12%)" or "missed (-30%)": how far the figure is from the target, relative to the target. */
    static String verdict(double fractionOfTarget) {
        long percent = Math.round(100 * (fractionOfTarget - 1));
        return (fractionOfTarget >= 1 ? "met (+" : "missed (") + percent + "%)";
    }

    static double median(List<Row> rows, ToDoubleFunction<Row> value) {
        double[] sorted = rows.stream().mapToDouble(value).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
