package io.sluice.broker.log.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw sequential write speed of a file system, measured by {@code dd if=/dev/zero bs=1M}: into
 * the page cache (plain), or to the device ({@code conv=fdatasync}: one fdatasync at the end, inside
 * the time {@code dd} reports). The file is deleted afterwards, so its dirty pages are dropped rather
 * than written back under the next measurement. Uses the bytes and seconds {@code dd} itself reports,
 * which leave out the start-up of the process.
 *
 * <p>Not thread-safe; one measurement at a time.
 */
final class DdBaseline {
    /** {@code 1073741824 bytes (1.1 GB, 1.0 GiB) copied, 0.71 s, 1.5 GB/s} in the C locale. */
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) bytes .*copied, ([0-9.]+(?:e-?\\d+)?) s");

    private DdBaseline() {
    }

    /** How dd writes. */
    enum Mode {
        /** Into the page cache: {@code dd bs=...}. */
        PAGE_CACHE,
        /** One fdatasync at the end, included in the time: {@code conv=fdatasync}. */
        FDATASYNC,
        /** Every block written synchronously: {@code oflag=dsync}. */
        DSYNC
    }

    /**
     * Writes {@code count} blocks of {@code blockKib} KiB to {@code file} with dd and deletes the file.
     *
     * @return the bytes dd wrote and the nanoseconds it reported; events are the blocks
     */
    static Measurement write(Path file, int blockKib, long count, Mode mode) throws IOException {
        List<String> command = new ArrayList<>(List.of("dd", "if=/dev/zero", "of=" + file,
                blockKib % 1024 == 0 ? "bs=" + blockKib / 1024 + "M" : "bs=" + blockKib + "K", "count=" + count));
        switch (mode) {
            case FDATASYNC -> command.add("conv=fdatasync");
            case DSYNC -> command.add("oflag=dsync");
            default -> {
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        String output;
        int exit;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while dd was running", e);
        } finally {
            Files.deleteIfExists(file);
        }
        Matcher summary = SUMMARY.matcher(output);
        if (exit != 0 || !summary.find()) {
            throw new IOException(String.join(" ", command) + " failed (exit " + exit + "): " + output.strip());
        }
        long bytes = Long.parseLong(summary.group(1));
        long nanos = Math.max(1, Math.round(Double.parseDouble(summary.group(2)) * 1e9));
        return new Measurement(bytes, nanos, count);
    }
}
