package io.sluice.broker.partition;

import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.partition.internal.BatchHeaders;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.RecordBatch;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Idempotent-producer state of one partition replica: for each producer id, its current epoch and
 * the last {@value #CACHED_BATCHES} batches it appended (sequence range and offsets). Before an
 * append the leader asks {@link #check} whether a batch is new, a duplicate of a recent one (to be
 * answered with its original offsets), or out of order; after the append it records the batch with
 * {@link #onAppend}. Followers call {@link #onAppend} for every replicated batch too, so a follower
 * that becomes leader deduplicates exactly as the old leader did. After a truncation or an unclean
 * restart the table is rebuilt by replaying {@link #onAppend} over the batches in the log; a clean
 * stop saves it ({@link #snapshot}) and the next load {@link #restore}s it instead.
 *
 * <p>Only batch headers are read: no per-record work. Not thread-safe: the partition's single
 * writer owns it.
 */
public final class ProducerStateTable {
    /** Batches remembered per producer, as in Kafka: the producer keeps at most 5 in flight. */
    public static final int CACHED_BATCHES = 5;

    /** 2 added the log's latest leader epoch to the bounds; a version 1 snapshot is not restored. */
    private static final int SNAPSHOT_VERSION = 2;
    /** Version, log start and end offsets, latest epoch; then the producer count, the producers, and the CRC. */
    private static final int SNAPSHOT_HEADER_BYTES = 2 * Integer.BYTES + 2 * Long.BYTES;
    private static final int PRODUCER_BYTES = Long.BYTES + Short.BYTES + 1;
    private static final int BATCH_BYTES = 2 * Integer.BYTES + 2 * Long.BYTES;

    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    /** The verdict on a batch before it is appended. */
    public sealed interface Verdict permits Append, Duplicate, Refuse {
    }

    /** The batch is new and in order: append it. */
    public record Append() implements Verdict {
    }

    /** The batch was appended before; answer with its original offsets and do not append it again. */
    public record Duplicate(long baseOffset, long lastOffset) implements Verdict {
    }

    /** The batch must not be appended. */
    public record Refuse(ErrorCode errorCode, String message) implements Verdict {
    }

    private static final Append APPEND = new Append();

    /**
     * Decides what to do with a batch from {@code producerId} (−1: not idempotent, always appended).
     *
     * @param producerEpoch the batch's producer epoch
     * @param firstSequence the batch's base sequence
     * @param lastSequence  the sequence of its last record
     */
    public Verdict check(long producerId, short producerEpoch, int firstSequence, int lastSequence) {
        if (producerId < 0) {
            return APPEND;
        }
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            return firstSequence == 0 ? APPEND : new Refuse(ErrorCode.ERROR_CODE_UNKNOWN_PRODUCER_ID,
                    "no state for producer " + producerId + " and its batch starts at sequence " + firstSequence);
        }
        if (producerEpoch < entry.epoch) {
            return new Refuse(ErrorCode.ERROR_CODE_PRODUCER_FENCED, "producer " + producerId + " epoch "
                    + producerEpoch + " is older than the current epoch " + entry.epoch);
        }
        if (producerEpoch > entry.epoch) {
            return firstSequence == 0 ? APPEND : new Refuse(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE,
                    "producer " + producerId + " starts epoch " + producerEpoch + " at sequence "
                            + firstSequence + " instead of 0");
        }
        for (BatchMetadata batch : entry.batches) {
            if (batch.firstSequence == firstSequence && batch.lastSequence == lastSequence) {
                return new Duplicate(batch.baseOffset, batch.lastOffset);
            }
        }
        int expected = nextSequence(entry.batches.peekLast().lastSequence);
        if (firstSequence != expected) {
            return new Refuse(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE, "producer " + producerId
                    + " sent sequence " + firstSequence + " but the next expected is " + expected);
        }
        return APPEND;
    }

    /**
     * Records an appended batch (on the leader after {@link #check} said append; on followers for
     * every replicated batch; on recovery for every batch in the log, in order).
     */
    public void onAppend(long producerId, short producerEpoch, int firstSequence, int lastSequence,
            long baseOffset, long lastOffset) {
        if (producerId < 0) {
            return;
        }
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(producerEpoch));
        if (producerEpoch != entry.epoch) {
            entry.epoch = producerEpoch;
            entry.batches.clear();
        }
        entry.batches.addLast(new BatchMetadata(firstSequence, lastSequence, baseOffset, lastOffset));
        if (entry.batches.size() > CACHED_BATCHES) {
            entry.batches.removeFirst();
        }
    }

    /** Records a stored batch by its header (follower appends, rebuilding). */
    public void onBatch(RecordBatch header) {
        onAppend(header.producerId(), header.producerEpoch(), header.baseSequence(), header.lastSequence(),
                header.baseOffset(), header.lastOffset());
    }

    /** Forgets everything and replays the batch headers of {@code log} (load, truncation). */
    public void rebuild(PartitionLog log) {
        producers.clear();
        BatchHeaders.scan(log, log.logStartOffset(), log.logEndOffset(), this::onBatch);
    }

    /**
     * The table as bytes, for a clean stop: tagged with the log it describes (its start and end
     * offsets and its latest leader epoch), checked by a CRC32C. {@link #restore} takes it back only
     * for a log with exactly those bounds. The epoch tells apart a log that was cut at a divergence
     * and refilled to the same end: the batches that refilled it come from a later leader epoch.
     */
    public byte[] snapshot(long logStartOffset, long logEndOffset, int latestEpoch) {
        int size = SNAPSHOT_HEADER_BYTES + 2 * Integer.BYTES;
        for (ProducerEntry entry : producers.values()) {
            size += PRODUCER_BYTES + entry.batches.size() * BATCH_BYTES;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(SNAPSHOT_VERSION).putLong(logStartOffset).putLong(logEndOffset).putInt(latestEpoch)
                .putInt(producers.size());
        producers.forEach((producerId, entry) -> {
            out.putLong(producerId).putShort(entry.epoch).put((byte) entry.batches.size());
            for (BatchMetadata b : entry.batches) {
                out.putInt(b.firstSequence).putInt(b.lastSequence).putLong(b.baseOffset).putLong(b.lastOffset);
            }
        });
        out.putInt(crc(out.array(), out.position()));
        return out.array();
    }

    /**
     * Replaces the table with {@code snapshot} if it is intact and was taken of a log with these
     * bounds (see {@link #snapshot}); otherwise leaves the table as it was and answers false (the
     * caller then rebuilds it from the log).
     */
    public boolean restore(byte[] snapshot, long logStartOffset, long logEndOffset, int latestEpoch) {
        Map<Long, ProducerEntry> read = new HashMap<>();
        try {
            ByteBuffer in = ByteBuffer.wrap(snapshot);
            if (snapshot.length < SNAPSHOT_HEADER_BYTES + 2 * Integer.BYTES
                    || crc(snapshot, snapshot.length - Integer.BYTES) != in.getInt(snapshot.length - Integer.BYTES)
                    || in.getInt() != SNAPSHOT_VERSION || in.getLong() != logStartOffset
                    || in.getLong() != logEndOffset || in.getInt() != latestEpoch) {
                return false;
            }
            int count = in.getInt();
            for (int i = 0; i < count; i++) {
                long producerId = in.getLong();
                ProducerEntry entry = new ProducerEntry(in.getShort());
                int batches = in.get();
                if (producerId < 0 || batches < 1 || batches > CACHED_BATCHES) {
                    return false;
                }
                for (int j = 0; j < batches; j++) {
                    entry.batches.addLast(new BatchMetadata(in.getInt(), in.getInt(), in.getLong(), in.getLong()));
                }
                read.put(producerId, entry);
            }
            if (in.position() != snapshot.length - Integer.BYTES) {
                return false;
            }
        } catch (BufferUnderflowException e) {
            return false;
        }
        producers.clear();
        producers.putAll(read);
        return true;
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    /**
     * Forgets producers whose last batch lies below {@code logStartOffset}: their batches were
     * deleted, so a retry of them can no longer be recognised anyway.
     */
    public void expireBelow(long logStartOffset) {
        Iterator<ProducerEntry> it = producers.values().iterator();
        while (it.hasNext()) {
            if (it.next().batches.peekLast().lastOffset < logStartOffset) {
                it.remove();
            }
        }
    }

    /** Forgets everything (before rebuilding from the log after a truncation). */
    public void clear() {
        producers.clear();
    }

    /** Number of producers with state. */
    public int producerCount() {
        return producers.size();
    }

    static int nextSequence(int sequence) {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }

    private record BatchMetadata(int firstSequence, int lastSequence, long baseOffset, long lastOffset) {
    }

    private static final class ProducerEntry {
        private short epoch;
        private final Deque<BatchMetadata> batches = new ArrayDeque<>(CACHED_BATCHES + 1);

        ProducerEntry(short epoch) {
            this.epoch = epoch;
        }
    }
}
