package io.sluice.broker.log;

import static io.sluice.broker.log.TestBatches.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.CompressionType;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded model-based test: random appends (leader and follower), reads, truncations, deleteRecords,
 * retention and, where the log survives it, close-and-reopen and crash-and-reopen, each compared
 * with {@link LogModel}. Prints its seed; replay a failure with {@code -Dsluice.seed=<seed>}.
 */
abstract class PartitionLogModelTest {
    /** 1 KiB segments and 4 KiB retention: many rolls, and retention that actually deletes. */
    static final LogConfig CONFIG = new LogConfig(1024, Long.MAX_VALUE, -1, 4096, 64 * 1024, false,
            LogConfig.FlushPolicy.PAGE_CACHE, 1000, 256);
    static final int STEPS = Integer.getInteger("sluice.modelSteps", 1500);

    private PartitionLog log;
    private final LogModel model = new LogModel();
    private Random random;
    private int epoch;
    private long timestamp = 1_000;

    /** A new empty log. */
    protected abstract PartitionLog create();

    /** The log reopened (cleanly, or after a simulated crash); the same log if it cannot be. */
    protected abstract PartitionLog reopen(PartitionLog current, boolean crash);

    @Test
    void randomOperationsAgreeWithTheModel() {
        String name = getClass().getSimpleName();
        long seed = TestSeeds.seed(name);
        random = new Random(seed);
        log = create();
        List<String> history = new ArrayList<>();
        try {
            for (int step = 0; step < STEPS; step++) {
                history.add(step(random.nextInt(100)));
                assertEquals(model.start, log.logStartOffset(), "log start");
                assertEquals(model.end, log.logEndOffset(), "log end");
                assertEquals(model.latestEpoch(), log.latestEpoch(), "latest epoch");
            }
        } catch (AssertionError | RuntimeException e) {
            int from = Math.max(0, history.size() - 8);
            throw new AssertionError(name + " seed " + seed + " failed at step " + (history.size() - 1)
                    + " after " + history.subList(from, history.size()) + ": " + e, e);
        } finally {
            log.close();
        }
    }

    private String step(int dice) {
        if (dice < 35) {
            return appendAsLeader();
        } else if (dice < 45) {
            return appendAsFollower();
        } else if (dice < 70) {
            return read();
        } else if (dice < 75) {
            long offset = model.start + random.nextInt((int) (model.end - model.start) + 3);
            log.truncateTo(offset);
            model.truncateTo(offset);
            return "truncateTo(" + offset + ")";
        } else if (dice < 79) {
            long offset = model.start - 3 + random.nextInt((int) (model.end - model.start) + 6);
            assertEquals(model.deleteRecordsBefore(offset), log.deleteRecordsBefore(offset));
            return "deleteRecordsBefore(" + offset + ")";
        } else if (dice < 80) {
            long offset = model.end + random.nextInt(50) - 10;
            offset = Math.max(0, offset);
            log.truncateFullyAndStartAt(offset);
            model.truncateFullyAndStartAt(offset);
            return "truncateFullyAndStartAt(" + offset + ")";
        } else if (dice < 86) {
            return maintain();
        } else if (dice < 89) {
            boolean crash = random.nextBoolean();
            log = reopen(log, crash);
            return crash ? "crash and reopen" : "close and reopen";
        } else if (dice < 95) {
            long target = 900 + random.nextInt((int) (timestamp - 800));
            assertEquals(model.offsetForTimestamp(target), log.offsetForTimestamp(target), "offsetForTimestamp");
            return "offsetForTimestamp(" + target + ")";
        } else {
            int asked = random.nextInt(epoch + 3) - 1;
            assertEquals(model.endOffsetForEpoch(asked), log.endOffsetForEpoch(asked), "endOffsetForEpoch");
            return "endOffsetForEpoch(" + asked + ")";
        }
    }

    private ByteBuffer newBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
        int records = 1 + random.nextInt(5);
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[random.nextInt(120)];
            random.nextBytes(value);
            timestamp += random.nextInt(5) - 1;
            builder.append(Math.max(0, timestamp), null, value);
        }
        return builder.build();
    }

    private String appendAsLeader() {
        if (random.nextInt(10) == 0) {
            epoch++;
        }
        epoch = Math.max(epoch, model.latestEpoch());
        ByteBuffer batch = newBatch();
        byte[] expected = bytes(batch);
        RecordBatch.stampOffsetAndEpoch(ByteBuffer.wrap(expected), model.end, epoch);
        AppendInfo info = log.appendAsLeader(batch, epoch, 0);
        assertEquals(model.end, info.firstOffset());
        model.append(expected);
        return "appendAsLeader(epoch " + epoch + ", " + expected.length + " bytes)";
    }

    private String appendAsFollower() {
        if (random.nextInt(5) == 0) {
            epoch++;
        }
        epoch = Math.max(epoch, model.latestEpoch());
        List<ByteBuffer> batches = new ArrayList<>();
        long next = model.end;
        for (int i = random.nextInt(4); i >= 0; i--) {
            ByteBuffer batch = newBatch();
            RecordBatch.stampOffsetAndEpoch(batch, next, epoch);
            next = RecordBatch.wrap(batch).nextOffset();
            batches.add(batch);
        }
        log.appendAsFollower(TestBatches.concat(batches));
        batches.forEach(b -> model.append(bytes(b)));
        return "appendAsFollower(" + batches.size() + " batches, epoch " + epoch + ")";
    }

    private String read() {
        long offset = model.start - 2 + random.nextInt((int) (model.end - model.start) + 5);
        int maxBytes = random.nextInt(3000);
        long maxOffset = random.nextBoolean() ? Long.MAX_VALUE : model.start + random.nextInt((int) (model.end
                - model.start) + 5);
        boolean minOne = random.nextBoolean();
        byte[] expected = model.read(offset, maxBytes, maxOffset, minOne);
        String call = "read(" + offset + ", " + maxBytes + ", " + maxOffset + ", " + minOne + ")";
        if (expected == null) {
            LogException e = org.junit.jupiter.api.Assertions.assertThrows(LogException.class,
                    () -> log.read(offset, maxBytes, maxOffset, minOne), call);
            assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, e.errorCode());
        } else {
            LogReadResult result = log.read(offset, maxBytes, maxOffset, minOne);
            assertArrayEquals(expected, bytes(result.records()), call);
        }
        return call;
    }

    private String maintain() {
        long highWatermark = model.start + random.nextInt((int) (model.end - model.start) + 1);
        long before = model.start;
        log.maintain(timestamp, highWatermark);
        long after = log.logStartOffset();
        assertTrue(after == before || after > before && after <= highWatermark,
                "retention moved the start from " + before + " to " + after + " with high watermark "
                        + highWatermark);
        if (after != before) {
            model.moveStart(after);
        }
        return "maintain(hw " + highWatermark + ") -> start " + after;
    }
}
