package io.sluice.broker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.common.ManualClock;
import io.sluice.record.RecordBatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that is appending ({@link CrashingAppender}) with SIGKILL at a random point, then
 * reopens its log: every batch the child saw acknowledged must be there, byte for byte (its CRC), and
 * the log must be whole batches only. A killed process loses nothing that reached the page cache, so
 * this holds under every flush policy; the policies differ only for an operating-system crash, which
 * a test cannot stage. Rounds alternate the policies and run on one log, so later rounds also recover
 * logs that earlier kills left behind. Prints its seed.
 */
@ExtendWith(NoMappingLeaks.class)
class ChronicleLogKillTest {
    static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    void aKilledAppenderLosesNoAcknowledgedBatch() throws Exception {
        long seed = TestSeeds.seed(getClass().getSimpleName());
        Random random = new Random(seed);
        Map<Long, Long> acked = new HashMap<>();
        LogConfig.FlushPolicy[] policies = LogConfig.FlushPolicy.values();
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 20 + random.nextInt(400);
            LogConfig.FlushPolicy policy = policies[round % policies.length];
            long lastAcked = runAndKill(policy, random.nextLong(), killAfter, acked);
            try (ChronicleLog log = ChronicleLog.open(dir, CrashingAppender.config(policy), new ManualClock(0),
                    DiskSpaceGuard.unlimited(), 60_000)) {
                assertTrue(log.logEndOffset() > lastAcked, "round " + round + " (seed " + seed + "): log ends at "
                        + log.logEndOffset() + " but " + lastAcked + " was acknowledged");
                List<RecordBatch> batches = TestBatches.validBatches(
                        log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
                Map<Long, Long> found = new HashMap<>();
                batches.forEach(b -> found.put(b.baseOffset(), b.crc()));
                for (Map.Entry<Long, Long> entry : acked.entrySet()) {
                    assertEquals(entry.getValue(), found.get(entry.getKey()), "round " + round + " (seed " + seed
                            + "): acknowledged batch at " + entry.getKey());
                }
                acked.clear();
                batches.forEach(b -> acked.put(b.baseOffset(), b.crc()));
            }
        }
    }

    /** Runs the child until it acknowledged {@code killAfter} batches, kills it, returns the last offset acked. */
    private long runAndKill(LogConfig.FlushPolicy policy, long seed, int killAfter, Map<Long, Long> acked)
            throws IOException, InterruptedException {
        List<String> command = ChildJvm.command();
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashingAppender.class.getName(), dir.toString(), policy.name(), Long.toString(seed)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long last = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            int seen = 0;
            String line;
            while (seen < killAfter && (line = lines.readLine()) != null) {
                String[] fields = line.split(" ");
                if (fields[0].equals("acked")) {
                    last = Long.parseLong(fields[1]);
                    acked.put(last, Long.parseLong(fields[2]));
                    seen++;
                }
            }
            assertEquals(killAfter, seen, "the child stopped early");
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
        } finally {
            child.destroyForcibly();
        }
        return last;
    }
}
