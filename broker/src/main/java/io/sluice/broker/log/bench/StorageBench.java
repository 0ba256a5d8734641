package io.sluice.broker.log.bench;

import com.sun.management.OperatingSystemMXBean;
import io.sluice.broker.log.ChronicleEnvironment;
import io.sluice.broker.log.ChronicleLog;
import io.sluice.broker.log.LogConfig.FlushPolicy;
import io.sluice.broker.log.LogException;
import io.sluice.broker.log.bench.DdBaseline.Mode;
import io.sluice.common.Clock;
import io.sluice.common.SystemClock;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/sluice bench storage}: the storage engine's throughput beside the machine's raw write speed.
 * For each batch size and each repetition it measures, in a fresh directory on the chosen file system:
 * <ol>
 *   <li>{@code dd if=/dev/zero bs=1M} of {@code --size-mb} MiB: raw page-cache write bandwidth;</li>
 *   <li>appends of {@code --size-mb} MiB of batches of 1 KiB records to a {@link ChronicleLog} with the
 *       page-cache flush policy, and the ratio to the dd figure of the same repetition;</li>
 *   <li>a sequential read of that log, from page cache, through the fetch path;</li>
 *   <li>unless {@code --fsync-mb 0}: appends of {@code --fsync-mb} MiB with the every-batch policy
 *       (msync before each append returns) beside {@code dd oflag=dsync} with the batch size as block
 *       size, and once per repetition {@code dd conv=fdatasync} (the device's write bandwidth).</li>
 * </ol>
 * Every file is deleted after its measurement, so no dirty page of one measurement is written back
 * under the next. Results are medians over the repetitions, and every repetition's figures.
 *
 * <p>A command-line tool, not part of the broker; single-threaded.
 */
public final class StorageBench {
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;

    /** One repetition's figures for one batch size; the fsync ones are null when skipped. */
    record Row(int run, int batchKib, Measurement dd, Measurement append, Measurement read, Measurement ddDsync,
            Measurement everyBatch) {
        double ratio() {
            return append.mbPerSecond() / dd.mbPerSecond();
        }
    }

    /** Every row of a run and the {@code dd conv=fdatasync} figure of each repetition (empty when skipped). */
    record Report(List<Row> rows, List<Measurement> ddFdatasync) {
    }

    StorageBench(Clock clock, PrintStream out, PrintStream err) {
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        ChronicleEnvironment.prepare();
        int code = new StorageBench(SystemClock.INSTANCE, System.out, System.err).run(List.of(args));
        System.exit(code);
    }

    /** Runs the benchmark; the exit code: 0 done, 1 failed, 2 bad usage. */
    int run(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(BenchOptions.USAGE);
            return 0;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IllegalArgumentException e) {
            err.println("sluice bench storage: " + e.getMessage());
            err.print(BenchOptions.USAGE);
            return 2;
        }
        try {
            printMachine(options.dir());
            Report report = measure(options);
            new ReportTable(out).print(options, report);
            return 0;
        } catch (IOException | UncheckedIOException | LogException | IllegalStateException e) {
            err.println("sluice bench storage: failed: " + e.getMessage());
            return 1;
        }
    }

    /** Runs every measurement in a fresh sub-directory of {@code options.dir()}, deleted afterwards. */
    Report measure(BenchOptions options) throws IOException {
        Files.createDirectories(options.dir());
        checkFreeSpace(options);
        Path work = Files.createTempDirectory(options.dir(), "sluice-storage-bench-");
        try (LogWorkload workload = new LogWorkload(work.resolve("data"), clock)) {
            if (options.warmupMb() > 0) {
                ChronicleLog log = workload.newLog(FlushPolicy.PAGE_CACHE);
                workload.append(log, LogWorkload.batches(options.batchKib().get(0), clock.wallMs(), 0),
                        (long) options.warmupMb() << 20);
                workload.readAll(log, options.fetchKib() << 10);
                workload.discard(log);
            }
            List<Row> rows = new ArrayList<>();
            List<Measurement> fdatasync = new ArrayList<>();
            for (int run = 1; run <= options.repeat(); run++) {
                for (int kib : options.batchKib()) {
                    rows.add(measureOne(options, workload, work, run, kib));
                    err.printf("run %d, %d KiB batches: done%n", run, kib);
                }
                if (options.fsyncMb() > 0) {
                    fdatasync.add(DdBaseline.write(work.resolve("dd.bin"), 1024, options.sizeMb(), Mode.FDATASYNC));
                }
            }
            return new Report(rows, fdatasync);
        } finally {
            deleteTree(work);
        }
    }

    private Row measureOne(BenchOptions options, LogWorkload workload, Path work, int run, int kib)
            throws IOException {
        Path ddFile = work.resolve("dd.bin");
        Measurement dd = DdBaseline.write(ddFile, 1024, options.sizeMb(), Mode.PAGE_CACHE);
        List<ByteBuffer> batches = LogWorkload.batches(kib, clock.wallMs(), run * 1000L + kib);
        ChronicleLog log = workload.newLog(FlushPolicy.PAGE_CACHE);
        Measurement append = workload.append(log, batches, (long) options.sizeMb() << 20);
        Measurement read = workload.readAll(log, options.fetchKib() << 10);
        workload.discard(log);
        Measurement ddDsync = null;
        Measurement everyBatch = null;
        if (options.fsyncMb() > 0) {
            long bytes = (long) options.fsyncMb() << 20;
            ddDsync = DdBaseline.write(ddFile, kib, bytes / ((long) kib << 10), Mode.DSYNC);
            ChronicleLog synced = workload.newLog(FlushPolicy.EVERY_BATCH);
            everyBatch = workload.append(synced, batches, bytes);
            workload.discard(synced);
        }
        return new Row(run, kib, dd, append, read, ddDsync, everyBatch);
    }

    /** The measurements need the data plus the log's 1 GiB free-space reserve, twice over for safety. */
    private static void checkFreeSpace(BenchOptions options) throws IOException {
        long need = 2L * Math.max(options.sizeMb(), options.warmupMb()) * (1 << 20) + (1L << 30);
        long free = Files.getFileStore(options.dir()).getUsableSpace();
        if (free < need) {
            throw new IOException(options.dir() + " has " + (free >> 20) + " MiB free; the benchmark needs "
                    + (need >> 20) + " MiB (twice --size-mb plus the log's 1 GiB reserve)");
        }
    }

    private void printMachine(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileStore store = Files.getFileStore(dir);
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        out.printf("machine: %d CPUs, %.1f GiB memory, %s %s, Java %s (%s), max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), memory / (double) (1L << 30),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20);
        out.printf("directory: %s on %s (%s)%n", dir.toAbsolutePath(), store.name(), store.type());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
