package io.sluice.broker.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.partition.ProducerStateTable.Append;
import io.sluice.broker.partition.ProducerStateTable.Duplicate;
import io.sluice.broker.partition.ProducerStateTable.Refuse;
import io.sluice.broker.partition.ProducerStateTable.Verdict;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProducerStateTableTest {
    private final ProducerStateTable table = new ProducerStateTable();
    private long nextOffset;

    /** Checks and, if told to append, appends a batch of {@code count} records; returns the verdict. */
    private Verdict send(long pid, int epoch, int firstSeq, int count) {
        int lastSeq = firstSeq + count - 1;
        Verdict verdict = table.check(pid, (short) epoch, firstSeq, lastSeq);
        if (verdict instanceof Append) {
            table.onAppend(pid, (short) epoch, firstSeq, lastSeq, nextOffset, nextOffset + count - 1);
            nextOffset += count;
        }
        return verdict;
    }

    private static ErrorCode refusal(Verdict verdict) {
        return assertInstanceOf(Refuse.class, verdict).errorCode();
    }

    @Test
    void nonIdempotentBatchesAreAlwaysAppended() {
        assertInstanceOf(Append.class, send(-1, -1, -1, 3));
        assertInstanceOf(Append.class, send(-1, -1, -1, 3));
        assertEquals(0, table.producerCount());
    }

    @Test
    void inOrderBatchesAppendAndRetriesOfRecentOnesAreDuplicates() {
        assertInstanceOf(Append.class, send(7, 0, 0, 3));
        assertInstanceOf(Append.class, send(7, 0, 3, 2));
        Duplicate duplicate = assertInstanceOf(Duplicate.class, send(7, 0, 0, 3));
        assertEquals(0, duplicate.baseOffset());
        assertEquals(2, duplicate.lastOffset());
        assertEquals(new Duplicate(3, 4), send(7, 0, 3, 2));
    }

    @Test
    void onlyTheLastFiveBatchesAreRemembered() {
        for (int i = 0; i < 6; i++) {
            assertInstanceOf(Append.class, send(7, 0, i, 1));
        }
        assertEquals(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE, refusal(send(7, 0, 0, 1)));
        assertInstanceOf(Duplicate.class, send(7, 0, 1, 1));
    }

    @Test
    void gapsAndUnknownProducersAreRefused() {
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_PRODUCER_ID, refusal(send(9, 0, 4, 1)));
        assertInstanceOf(Append.class, send(9, 0, 0, 2));
        assertEquals(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE, refusal(send(9, 0, 3, 1)));
        assertInstanceOf(Append.class, send(9, 0, 2, 1));
    }

    @Test
    void epochsFenceOlderInstancesAndRestartSequences() {
        send(5, 1, 0, 2);
        assertEquals(ErrorCode.ERROR_CODE_PRODUCER_FENCED, refusal(send(5, 0, 2, 1)));
        assertEquals(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE, refusal(send(5, 2, 2, 1)));
        assertInstanceOf(Append.class, send(5, 2, 0, 1));
        assertEquals(ErrorCode.ERROR_CODE_PRODUCER_FENCED, refusal(send(5, 1, 2, 1)));
    }

    @Test
    void sequencesWrapAfterIntegerMax() {
        assertEquals(0, ProducerStateTable.nextSequence(Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, ProducerStateTable.nextSequence(Integer.MAX_VALUE - 1));
    }

    @Test
    void expiryForgetsProducersWhoseBatchesWereDeleted() {
        send(1, 0, 0, 2);
        send(2, 0, 0, 2);
        table.expireBelow(2);
        assertEquals(1, table.producerCount());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_PRODUCER_ID, refusal(send(1, 0, 2, 1)));
    }

    /**
     * Model: several producers send numbered batches with at most 5 in flight, and the network
     * redelivers random recent ones. Every batch must be appended exactly once, in sequence order per
     * producer. Seed printed; replay with -Dsluice.seed=N.
     */
    @Test
    void retriesNeverDuplicateOrReorder() {
        long seed = Long.getLong("sluice.seed", System.nanoTime());
        System.out.println("ProducerStateTableTest seed=" + seed + " (replay with -Dsluice.seed=" + seed + ")");
        Random random = new Random(seed);
        int producers = 3;
        int[] nextSeq = new int[producers];
        List<List<Integer>> appended = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            appended.add(new ArrayList<>());
        }
        for (int step = 0; step < 5_000; step++) {
            int p = random.nextInt(producers);
            boolean retry = nextSeq[p] > 0 && random.nextInt(3) == 0;
            int batchIndex = retry ? Math.max(0, nextSeq[p] - 1 - random.nextInt(ProducerStateTable.CACHED_BATCHES))
                    : nextSeq[p];
            Verdict verdict = send(100 + p, 0, batchIndex * 2, 2);
            if (verdict instanceof Append) {
                appended.get(p).add(batchIndex);
                nextSeq[p] = batchIndex + 1;
            } else {
                assertInstanceOf(Duplicate.class, verdict, "seed " + seed + " step " + step);
            }
        }
        for (int p = 0; p < producers; p++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < nextSeq[p]; i++) {
                expected.add(i);
            }
            assertEquals(expected, appended.get(p), "seed " + seed + " producer " + p);
        }
    }

    @Test
    void aSnapshotRestoresTheSameVerdictsForTheSameLogBoundsOnly() {
        long seed = Long.getLong("sluice.seed", System.nanoTime());
        System.out.println("ProducerStateTableTest snapshot seed: " + seed + " (replay with -Dsluice.seed=" + seed
                + ")");
        Random random = new Random(seed);
        for (int i = 0; i < 400; i++) {
            long pid = random.nextInt(6);
            int epoch = random.nextInt(3);
            send(pid, epoch, random.nextInt(4) == 0 ? random.nextInt(40) : 0, 1 + random.nextInt(3));
        }
        byte[] snapshot = table.snapshot(3, nextOffset, 2);
        ProducerStateTable restored = new ProducerStateTable();
        restored.onAppend(42, (short) 0, 0, 0, 0, 0);
        assertFalse(restored.restore(snapshot, 4, nextOffset, 2), "another log start");
        assertFalse(restored.restore(snapshot, 3, nextOffset + 1, 2), "another log end");
        assertFalse(restored.restore(snapshot, 3, nextOffset, 3), "another latest leader epoch");
        assertInstanceOf(Duplicate.class, restored.check(42, (short) 0, 0, 0), "a refused snapshot changes nothing");
        assertTrue(restored.restore(snapshot, 3, nextOffset, 2));
        assertEquals(table.producerCount(), restored.producerCount());
        assertInstanceOf(Append.class, restored.check(42, (short) 0, 0, 0), "a restored snapshot replaces the table");
        for (long pid = 0; pid < 6; pid++) {
            for (int epoch = 0; epoch < 4; epoch++) {
                for (int first = 0; first < 45; first++) {
                    for (int count = 1; count <= 3; count++) {
                        int last = first + count - 1;
                        assertEquals(table.check(pid, (short) epoch, first, last),
                                restored.check(pid, (short) epoch, first, last), "seed " + seed);
                    }
                }
            }
        }
    }

    @Test
    void aDamagedSnapshotIsRefused() {
        send(7, 0, 0, 3);
        send(8, 1, 0, 1);
        byte[] snapshot = table.snapshot(0, nextOffset, 0);
        for (int i = 0; i < snapshot.length; i++) {
            byte[] damaged = snapshot.clone();
            damaged[i] ^= 0x10;
            assertFalse(new ProducerStateTable().restore(damaged, 0, nextOffset, 0), "byte " + i);
        }
        assertFalse(new ProducerStateTable().restore(Arrays.copyOf(snapshot, snapshot.length - 1),
                0, nextOffset, 0), "a cut snapshot");
        assertFalse(new ProducerStateTable().restore(new byte[0], 0, nextOffset, 0));
    }
}
