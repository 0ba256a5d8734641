package io.sluice.client.producer.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.errors.UnknownTopicOrPartitionException;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.record.CompressionType;
import io.sluice.record.RecordBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * The producer's queue of records: per partition, a deque of batches (the last one open for
 * appends); and per topic whose metadata is not known yet, the records waiting for it, in send
 * order, so that {@code send()} never blocks on metadata. The only state shared between the
 * application's threads (which append) and the sender thread (which drains); one lock guards it.
 *
 * <p>A batch is ready to drain when it is full, when a newer batch exists behind it, when it has
 * lingered {@code linger.ms}, when a flush or close is in progress, when memory is exhausted (a
 * thread waits in {@link BufferPool}), or when it is a retry whose backoff passed or whose partition
 * has a newer leader epoch than the one it was last sent under. Draining gives
 * at most one batch per partition per request, up to {@code max.request.size}, and asks a
 * {@link BatchGate} (the sender's ordering rules) whether a partition's first batch may go now.
 * A retried batch goes back to the front of its deque in its original send order.
 *
 * <p>Memory: every record holds its {@link BufferPool} reservation until its batch completes; the
 * sender releases it. Thread-safe.
 */
public final class RecordAccumulator {
    /** The sender's say on whether a partition's first batch may be sent now. */
    @FunctionalInterface
    public interface BatchGate {
        boolean canSend(ProducerBatch batch);
    }

    /** What one drain produced. */
    public record Drained(Map<Integer, List<ProducerBatch>> byNode, Set<String> topicsWithoutLeader, long nextReadyMs) {
    }

    /** What a forced close or fatal error takes out of the queue. */
    public record Aborted(List<ProducerBatch> batches, List<PendingRecord> records) {
    }

    /** A record that cannot be queued, with the reason. */
    public record Rejected(PendingRecord record, SluiceException error) {
    }

    private final int batchSizeBytes;
    private final CompressionType compression;
    private final long lingerMs;
    private final BufferPool pool;
    private final Partitioner partitioner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TopicPartition, Deque<ProducerBatch>> batches = new LinkedHashMap<>();
    private final Map<String, Deque<PendingRecord>> awaitingMetadata = new LinkedHashMap<>();
    private final Set<ProducerBatch> incomplete = Collections.newSetFromMap(new IdentityHashMap<>());
    private int flushesInProgress;
    private boolean closed;
    private int drainStart;
    /**
     * A lower bound of the creation time of every queued batch ({@code Long.MAX_VALUE}: none was
     * queued since the last scan). Lowered when a batch is queued, made exact by a scan of
     * {@link #expire}; draining leaves it low. It spares the sender a walk over every queued batch
     * on each of its turns: with a deep queue (an unthrottled producer) those walks, under the
     * lock the application's {@code send} needs too, were the producer's hottest spot.
     */
    private long earliestQueuedMs = Long.MAX_VALUE;

    public RecordAccumulator(int batchSizeBytes, CompressionType compression, long lingerMs, BufferPool pool,
            Partitioner partitioner) {
        this.batchSizeBytes = batchSizeBytes;
        this.compression = compression;
        this.lingerMs = lingerMs;
        this.pool = pool;
        this.partitioner = partitioner;
    }

    /**
     * Queues a record: into its partition's open batch when its topic's metadata is known (and no
     * earlier record of the topic still waits for it), else into the topic's metadata queue.
     *
     * @return true when the sender should look at the queue now (a new or a full batch)
     * @throws IllegalStateException when the accumulator is closed
     * @throws UnknownTopicOrPartitionException when the record names a partition the topic lacks
     */
    public boolean append(PendingRecord record, Cluster cluster, long nowMs) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the producer is closed; no more records are accepted");
            }
            Deque<PendingRecord> waiting = awaitingMetadata.get(record.topic());
            if ((waiting != null && !waiting.isEmpty()) || cluster.partitionCount(record.topic()) <= 0) {
                awaitingMetadata.computeIfAbsent(record.topic(), t -> new ArrayDeque<>()).addLast(record);
                return true;
            }
            return appendToPartition(record, choosePartition(record, cluster), nowMs);
        } finally {
            lock.unlock();
        }
    }

    private TopicPartition choosePartition(PendingRecord record, Cluster cluster) {
        int count = cluster.partitionCount(record.topic());
        if (record.partition() >= 0) {
            if (record.partition() >= count) {
                throw new UnknownTopicOrPartitionException("partition " + record.partition() + " of topic '"
                        + record.topic() + "' does not exist (the topic has " + count + ")");
            }
            return new TopicPartition(record.topic(), record.partition());
        }
        return new TopicPartition(record.topic(),
                partitioner.partition(record.topic(), record.key(), record.sizeUpperBound(), cluster));
    }

    private boolean appendToPartition(PendingRecord record, TopicPartition tp, long nowMs) {
        Deque<ProducerBatch> deque = batches.computeIfAbsent(tp, k -> new ArrayDeque<>());
        ProducerBatch last = deque.peekLast();
        if (last != null && last.tryAppend(record, batchSizeBytes)) {
            return last.isFull(batchSizeBytes);
        }
        // Room for the whole batch at once when records are large, else for about 16 of them.
        int initialBytes = (int) Math.min(batchSizeBytes, RecordBatch.HEADER_SIZE + 16L * record.sizeUpperBound());
        ProducerBatch batch = new ProducerBatch(tp, compression, nowMs, initialBytes);
        batch.tryAppend(record, batchSizeBytes);
        deque.addLast(batch);
        incomplete.add(batch);
        earliestQueuedMs = Math.min(earliestQueuedMs, nowMs);
        return true;
    }

    /**
     * Moves records whose topic's metadata has arrived into batches, and takes out those that
     * waited longer than {@code maxBlockMs} or name a partition that does not exist.
     *
     * @return the records taken out, for the caller to fail and release
     */
    public List<Rejected> placeAwaitingMetadata(Cluster cluster, long nowMs, long maxBlockMs) {
        List<Rejected> rejected = new ArrayList<>();
        lock.lock();
        try {
            Iterator<Map.Entry<String, Deque<PendingRecord>>> it = awaitingMetadata.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Deque<PendingRecord>> entry = it.next();
                String topic = entry.getKey();
                Deque<PendingRecord> queue = entry.getValue();
                if (cluster.partitionCount(topic) > 0) {
                    placeAll(queue, cluster, nowMs, rejected);
                } else {
                    expireWaiting(topic, queue, cluster, nowMs, maxBlockMs, rejected);
                }
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
        } finally {
            lock.unlock();
        }
        return rejected;
    }

    private void placeAll(Deque<PendingRecord> queue, Cluster cluster, long nowMs, List<Rejected> rejected) {
        while (!queue.isEmpty()) {
            PendingRecord r = queue.pollFirst();
            try {
                appendToPartition(r, choosePartition(r, cluster), nowMs);
            } catch (UnknownTopicOrPartitionException e) {
                rejected.add(new Rejected(r, e));
            }
        }
    }

    private static void expireWaiting(String topic, Deque<PendingRecord> queue, Cluster cluster, long nowMs,
            long maxBlockMs, List<Rejected> rejected) {
        while (!queue.isEmpty() && nowMs - queue.peekFirst().sendMs() >= maxBlockMs) {
            rejected.add(new Rejected(queue.pollFirst(), metadataTimeout(topic, maxBlockMs, cluster)));
        }
    }

    /**
     * The failure of waiting {@code maxBlockMs} for {@code topic}'s metadata, naming the error the
     * cluster gave for it if any: a queued record's, and {@code Producer.partitionsFor}'s.
     */
    public static SluiceTimeoutException metadataTimeout(String topic, long maxBlockMs, Cluster cluster) {
        return cluster.topicNotFound(topic, maxBlockMs, "max.block.ms");
    }

    private void run(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Whether some records still wait for their topic's metadata. */
    public boolean hasRecordsAwaitingMetadata() {
        return locked(() -> !awaitingMetadata.isEmpty());
    }

    /** Topics with records waiting for metadata. */
    public Set<String> topicsAwaitingMetadata() {
        return locked(() -> Set.copyOf(awaitingMetadata.keySet()));
    }

    /**
     * Takes out, per leader broker, the batches that are ready and that the gate lets go: at most
     * one batch per partition, and per broker at most {@code maxRequestBytes} (the first batch of a
     * request always fits). Brokers for which {@code nodeHasRoom} is false are skipped.
     */
    public Drained drain(Cluster cluster, long nowMs, IntPredicate nodeHasRoom, BatchGate gate,
            int maxRequestBytes) {
        Map<Integer, List<ProducerBatch>> byNode = new LinkedHashMap<>();
        Map<Integer, Integer> bytesByNode = new LinkedHashMap<>();
        Set<String> leaderless = new TreeSet<>();
        long nextReadyMs = Long.MAX_VALUE;
        lock.lock();
        try {
            boolean hurry = flushesInProgress > 0 || closed || pool.hasWaiters();
            List<TopicPartition> partitions = new ArrayList<>(batches.keySet());
            int n = partitions.size();
            drainStart = n == 0 ? 0 : (drainStart + 1) % n;
            for (int i = 0; i < n; i++) {
                TopicPartition tp = partitions.get((drainStart + i) % n);
                Deque<ProducerBatch> deque = batches.get(tp);
                ProducerBatch first = deque.peekFirst();
                if (first == null) {
                    continue;
                }
                long readyAt = readyAtMs(first, deque.size(), hurry, cluster);
                if (readyAt > nowMs) {
                    nextReadyMs = Math.min(nextReadyMs, readyAt);
                    continue;
                }
                var leader = cluster.leader(tp);
                if (leader.isEmpty()) {
                    leaderless.add(tp.topic());
                    continue;
                }
                int node = leader.get().id();
                int used = bytesByNode.getOrDefault(node, 0);
                if (!nodeHasRoom.test(node) || (used > 0 && used + first.estimatedBytes() > maxRequestBytes)
                        || !gate.canSend(first)) {
                    continue;
                }
                deque.pollFirst();
                first.close();
                first.sentLeaderEpoch = cluster.leaderEpoch(tp);
                byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(first);
                bytesByNode.put(node, used + first.estimatedBytes());
            }
        } finally {
            lock.unlock();
        }
        return new Drained(byNode, leaderless, nextReadyMs);
    }

    /**
     * When {@code first} may be drained. A retry waits out its backoff, unless its partition now has a
     * newer leader than the one it was sent to: then it goes at once (as Kafka's producer does since
     * KIP-951).
     */
    private long readyAtMs(ProducerBatch first, int dequeSize, boolean hurry, Cluster cluster) {
        if (!first.isOpen()) {
            boolean leaderMoved = first.sentLeaderEpoch >= 0
                    && cluster.leaderEpoch(first.topicPartition()) > first.sentLeaderEpoch;
            return leaderMoved ? Long.MIN_VALUE : first.retryAtMs;
        }
        if (hurry || dequeSize > 1 || first.isFull(batchSizeBytes)) {
            return Long.MIN_VALUE;
        }
        return first.createdMs() + lingerMs;
    }

    /** Puts a batch that will be retried back at the front of its deque, in send order. */
    public void requeue(ProducerBatch batch) {
        lock.lock();
        try {
            Deque<ProducerBatch> deque = batches.computeIfAbsent(batch.topicPartition(), k -> new ArrayDeque<>());
            List<ProducerBatch> ahead = new ArrayList<>();
            while (!deque.isEmpty() && !deque.peekFirst().isOpen() && deque.peekFirst().sendOrder >= 0
                    && deque.peekFirst().sendOrder < batch.sendOrder) {
                ahead.add(deque.pollFirst());
            }
            deque.addFirst(batch);
            earliestQueuedMs = Math.min(earliestQueuedMs, batch.createdMs());
            for (int i = ahead.size() - 1; i >= 0; i--) {
                deque.addFirst(ahead.get(i));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes out the queued (not in-flight) batches whose delivery timeout passed: created more than
     * {@code deliveryTimeoutMs} ago.
     */
    public List<ProducerBatch> expire(long nowMs, long deliveryTimeoutMs) {
        List<ProducerBatch> expired = new ArrayList<>();
        lock.lock();
        try {
            if (earliestQueuedMs == Long.MAX_VALUE || nowMs - earliestQueuedMs < deliveryTimeoutMs) {
                return expired;    // no queued batch can be that old
            }
            long earliest = Long.MAX_VALUE;
            for (Deque<ProducerBatch> deque : batches.values()) {
                Iterator<ProducerBatch> it = deque.iterator();
                while (it.hasNext()) {
                    ProducerBatch b = it.next();
                    if (nowMs - b.createdMs() >= deliveryTimeoutMs) {
                        b.close();
                        it.remove();
                        expired.add(b);
                    } else {
                        earliest = Math.min(earliest, b.createdMs());
                    }
                }
            }
            earliestQueuedMs = earliest;
        } finally {
            lock.unlock();
        }
        return expired;
    }

    /**
     * The earliest time something queued may expire: a batch's delivery timeout, or a record's wait
     * for metadata ({@code maxBlockMs}); {@code Long.MAX_VALUE} when nothing is queued. Never later
     * than the true time; earlier when the oldest batches left the queue since the last
     * {@link #expire} (a spare wake-up, which makes the next answer exact).
     */
    public long nextExpiryMs(long deliveryTimeoutMs, long maxBlockMs) {
        long next = Long.MAX_VALUE;
        lock.lock();
        try {
            if (earliestQueuedMs != Long.MAX_VALUE) {
                // at worst early: the sender then wakes, expire() finds nothing and tightens the bound
                next = earliestQueuedMs + deliveryTimeoutMs;
            }
            for (Deque<PendingRecord> q : awaitingMetadata.values()) {
                if (!q.isEmpty()) {
                    next = Math.min(next, q.peekFirst().sendMs() + maxBlockMs);
                }
            }
        } finally {
            lock.unlock();
        }
        return next;
    }

    /** Every queued batch (not in flight), in deque order; they stay queued. */
    public List<ProducerBatch> queuedBatches() {
        lock.lock();
        try {
            List<ProducerBatch> out = new ArrayList<>();
            for (Deque<ProducerBatch> deque : batches.values()) {
                out.addAll(deque);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a batch that completed (successfully or not). */
    public void onCompleted(ProducerBatch batch) {
        run(() -> incomplete.remove(batch));
    }

    /** The futures of every record not yet completed: queued, in flight, or waiting for metadata. */
    public List<CompletableFuture<RecordMetadata>> incompleteFutures() {
        lock.lock();
        try {
            List<CompletableFuture<RecordMetadata>> out = new ArrayList<>();
            for (ProducerBatch b : incomplete) {
                out.addAll(b.futures());
            }
            for (Deque<PendingRecord> q : awaitingMetadata.values()) {
                for (PendingRecord r : q) {
                    out.add(r.future());
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Whether anything is queued or in flight. */
    public boolean hasIncomplete() {
        return locked(() -> !incomplete.isEmpty() || !awaitingMetadata.isEmpty());
    }

    /** Sends everything without lingering until {@link #endFlush}. */
    public void beginFlush() {
        run(() -> flushesInProgress++);
    }

    /** Ends a flush begun with {@link #beginFlush}. */
    public void endFlush() {
        run(() -> flushesInProgress--);
    }

    /** Refuses further appends; queued batches are sent without lingering. */
    public void close() {
        run(() -> closed = true);
    }

    /**
     * Takes out everything queued (batches not in flight, records waiting for metadata), for the
     * caller to fail: a forced close or a fatal error.
     */
    public Aborted abortQueued() {
        List<ProducerBatch> aborted = new ArrayList<>();
        List<PendingRecord> records = new ArrayList<>();
        lock.lock();
        try {
            for (Deque<ProducerBatch> deque : batches.values()) {
                for (ProducerBatch b : deque) {
                    b.close();
                    aborted.add(b);
                }
                deque.clear();
            }
            for (Deque<PendingRecord> q : awaitingMetadata.values()) {
                records.addAll(q);
            }
            awaitingMetadata.clear();
        } finally {
            lock.unlock();
        }
        return new Aborted(aborted, records);
    }
}
