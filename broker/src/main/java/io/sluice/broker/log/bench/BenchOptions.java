package io.sluice.broker.log.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one {@link StorageBench} run, parsed from its command line. Immutable.
 *
 * @param dir       where the benchmark's files go (a fresh sub-directory is created and deleted)
 * @param sizeMb    MB (MiB) written per append measurement and per {@code dd} baseline
 * @param batchKib  the batch sizes to measure, in KiB of 1 KiB records
 * @param fsyncMb   MB written per every-batch-fsync measurement; 0 skips those
 * @param fetchKib  the {@code maxBytes} of each sequential read
 * @param repeat    how many times the whole set of measurements runs
 * @param warmupMb  MB appended and read once before measuring, to let the JIT compile the paths
 */
record BenchOptions(Path dir, int sizeMb, List<Integer> batchKib, int fsyncMb, int fetchKib, int repeat,
        int warmupMb) {
    static final String USAGE = """
            Usage: sluice bench storage [--dir D] [--size-mb N] [--batch-kib 16,32,64] [--fsync-mb N]
                                        [--fetch-kib N] [--repeat N] [--warmup-mb N]
              --dir        directory on the file system to measure (default: java.io.tmpdir); the
                           benchmark works in a fresh sub-directory and deletes it afterwards
              --size-mb    MiB appended per measurement, and written by each dd baseline (default 1024)
              --batch-kib  batch sizes in KiB, each holding that many 1 KiB records; a comma list or
                           the option repeated (default 16,32,64; 1 to 512)
              --fsync-mb   MiB appended with the every-batch fsync policy per batch size, and written by
                           dd conv=fdatasync (default 32; 0 skips the fsync measurements)
              --fetch-kib  maxBytes of each read of the sequential read pass (default 1024)
              --repeat     runs of the whole set (default 3)
              --warmup-mb  MiB appended and read before measuring (default 128; 0 for none)
            """;

    BenchOptions {
        if (sizeMb < 1 || fsyncMb < 0 || fetchKib < 1 || repeat < 1 || warmupMb < 0 || batchKib.isEmpty()) {
            throw new IllegalArgumentException("--size-mb, --fetch-kib and --repeat must be at least 1, "
                    + "--fsync-mb and --warmup-mb at least 0");
        }
        for (int kib : batchKib) {
            if (kib < 1 || kib > 512) {
                throw new IllegalArgumentException("--batch-kib must be within 1 to 512: " + kib);
            }
        }
        batchKib = List.copyOf(batchKib);
    }

    /** Parses the options after {@code bench storage}; throws IllegalArgumentException on bad usage. */
    static BenchOptions parse(List<String> args, Path defaultDir) {
        Path dir = defaultDir;
        int sizeMb = 1024;
        List<Integer> batches = new ArrayList<>();
        int fsyncMb = 32;
        int fetchKib = 1024;
        int repeat = 3;
        int warmupMb = 128;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown option or missing value: " + option);
            }
            String value = args.get(++i);
            switch (option) {
                case "--dir" -> dir = Path.of(value);
                case "--size-mb" -> sizeMb = number(option, value);
                case "--batch-kib" -> {
                    for (String part : value.split(",")) {
                        batches.add(number(option, part.trim()));
                    }
                }
                case "--fsync-mb" -> fsyncMb = number(option, value);
                case "--fetch-kib" -> fetchKib = number(option, value);
                case "--repeat" -> repeat = number(option, value);
                case "--warmup-mb" -> warmupMb = number(option, value);
                default -> throw new IllegalArgumentException("unknown option: " + option);
            }
        }
        return new BenchOptions(dir, sizeMb, batches.isEmpty() ? List.of(16, 32, 64) : batches, fsyncMb, fetchKib,
                repeat, warmupMb);
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number: " + value, e);
        }
    }
}
