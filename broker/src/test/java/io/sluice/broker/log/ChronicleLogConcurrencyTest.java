package io.sluice.broker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.common.ManualClock;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers racing one writer (appends, follower appends, truncations, rolls) and the maintenance thread
 * (retention deleting segments, idle segments unmapped on every pass). Every read must be whole batches
 * with valid CRCs and contiguous offsets, starting with the batch that holds the requested offset; a
 * read may only fail because retention or truncation moved the range away. Afterwards no mapping may be
 * left and no deferred deletion pending. Prints its seed.
 */
@ExtendWith(NoMappingLeaks.class)
class ChronicleLogConcurrencyTest {
    static final LogConfig CONFIG = new LogConfig(4096, Long.MAX_VALUE, -1, 16 * 1024, 64 * 1024, false,
            LogConfig.FlushPolicy.PAGE_CACHE, 1000, 512);
    static final int APPENDS = Integer.getInteger("sluice.concurrencyAppends", 1500);
    static final int READERS = 3;

    @TempDir
    Path dir;

    @Test
    void readersOnlyEverSeeWholeValidBatches() throws Exception {
        long seed = TestSeeds.seed(getClass().getSimpleName());
        ManualClock clock = new ManualClock(1_000_000);
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        try (ChronicleLog log = ChronicleLog.open(dir, CONFIG, clock, DiskSpaceGuard.unlimited(), 0)) {
            List<Thread> threads = new ArrayList<>();
            threads.add(thread("writer", errors, () -> write(log, new Random(seed), writing)));
            threads.add(thread("maintenance", errors, () -> {
                while (writing.get()) {
                    log.maintain(clock.wallMs(), log.logEndOffset());
                    pause();
                }
            }));
            for (int i = 0; i < READERS; i++) {
                Random random = new Random(seed + i + 1);
                threads.add(thread("reader-" + i, errors, () -> {
                    while (writing.get()) {
                        readOnce(log, random);
                        reads.incrementAndGet();
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(120_000);
                assertTrue(!thread.isAlive(), thread.getName() + " did not finish");
            }
            if (!errors.isEmpty()) {
                AssertionError failure = new AssertionError("seed " + seed + ": " + errors.size() + " failures, first: "
                        + errors.peek(), errors.peek());
                errors.forEach(failure::addSuppressed);
                throw failure;
            }
            assertTrue(reads.get() > 0);
            assertTrue(log.logStartOffset() > 0, "retention ran");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".deleted")).toList(),
                    "every deferred deletion happened once its readers were gone");
        }
    }

    private static Thread thread(String name, Queue<Throwable> errors, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                errors.add(t);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(ChronicleLog log, Random random, AtomicBoolean writing) {
        try {
            int epoch = 0;
            for (int i = 0; i < APPENDS; i++) {
                int dice = random.nextInt(100);
                if (dice < 3 && log.logEndOffset() - log.logStartOffset() > 10) {
                    log.truncateTo(log.logEndOffset() - 1 - random.nextInt(10));
                } else if (dice < 20) {
                    epoch++;
                    ByteBuffer stored = TestBatches.batch(1 + random.nextInt(6), 1000 + i, random.nextInt(300));
                    RecordBatch.stampOffsetAndEpoch(stored, log.logEndOffset(), epoch);
                    log.appendAsFollower(stored);
                } else {
                    log.appendAsLeader(TestBatches.batch(1 + random.nextInt(6), 1000 + i, random.nextInt(300)), epoch,
                            0);
                }
            }
        } finally {
            writing.set(false);
        }
    }

    private static void readOnce(ChronicleLog log, Random random) {
        long start = log.logStartOffset();
        long end = log.logEndOffset();
        long offset = start + (end > start ? random.nextLong(end - start) : 0);
        LogReadResult result;
        try {
            if (random.nextInt(20) == 0) {
                log.offsetForTimestamp(1000 + random.nextInt(APPENDS));
                return;
            }
            result = log.read(offset, random.nextInt(64 * 1024), Long.MAX_VALUE, true);
        } catch (LogException e) {
            if (e.errorCode() != ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE) {
                throw e;
            }
            return;
        }
        List<RecordBatch> batches = RecordBatches.split(result.records());
        long expected = -1;
        for (RecordBatch batch : batches) {
            batch.validate(Integer.MAX_VALUE);
            if (expected >= 0 && batch.baseOffset() != expected) {
                throw new AssertionError("batch at " + batch.baseOffset() + " after one ending at " + expected);
            }
            expected = batch.nextOffset();
        }
        if (!batches.isEmpty()) {
            RecordBatch first = batches.get(0);
            if (first.baseOffset() > offset || first.lastOffset() < offset) {
                throw new AssertionError("read at " + offset + " returned " + first + " first");
            }
        }
    }
}
