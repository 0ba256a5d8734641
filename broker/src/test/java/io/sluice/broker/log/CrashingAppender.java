package io.sluice.broker.log;

import io.sluice.common.SystemClock;
import io.sluice.record.RecordBatch;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of {@link ChronicleLogKillTest}: appends batches to the log in {@code args[0]}
 * under flush policy {@code args[1]} until it is killed, printing one line per acknowledged append
 * ({@code acked <base offset> <crc>}) only after the append returned.
 */
public final class CrashingAppender {
    private CrashingAppender() {
    }

    /** 64 KiB segments (frequent rolls), the given flush policy. */
    static LogConfig config(LogConfig.FlushPolicy policy) {
        return new LogConfig(64 * 1024, Long.MAX_VALUE, -1, -1, 1 << 20, false, policy, 1000, 4096);
    }

    public static void main(String[] args) {
        LogConfig config = config(LogConfig.FlushPolicy.valueOf(args[1]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        Random random = new Random(Long.parseLong(args[2]));
        ChronicleLog log = ChronicleLog.open(Path.of(args[0]), config, SystemClock.INSTANCE,
                DiskSpaceGuard.unlimited(), 60_000);
        out.println("ready " + log.logEndOffset());
        int firstEpoch = Math.max(0, log.latestEpoch());
        for (long i = 0; ; i++) {
            ByteBuffer batch = TestBatches.batch(1 + random.nextInt(20), i, random.nextInt(2000));
            long crc = RecordBatch.wrap(batch).crc();
            AppendInfo info = log.appendAsLeader(batch, firstEpoch + (int) (i / 500), 0);
            out.println("acked " + info.firstOffset() + " " + crc);
        }
    }
}
