package io.sluice.jepsen.workload.internal;

import io.sluice.client.common.Serdes;
import io.sluice.client.producer.Producer;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.client.producer.SluiceProducer;
import io.sluice.jepsen.history.HistoryRecorder;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import io.sluice.jepsen.workload.QueueSettings;
import io.sluice.record.Header;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One producer client shared by a few logical processes, as an application shares one producer
 * among its threads, so their records meet in batches and pipelined requests. A send holds the
 * slot's read lock from its invocation to its completion; a crash takes the write lock, so it
 * happens only while none of the slot's processes has a send outstanding, and records a
 * {@code crash} entry for each of them before a fresh producer (a new idempotent producer id)
 * takes over. Thread-safe.
 */
public final class ProducerSlot implements AutoCloseable {
    /** How long past {@code delivery.timeout.ms} a send may stay without outcome before the client counts as stuck. */
    private static final long OUTCOME_GRACE_MS = 15_000;

    private final WorkloadEnv env;
    private final int slot;
    private final List<Integer> processes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<Header> padding;
    private Producer<String, String> producer;
    private int incarnation;
    private boolean stuck;

    public ProducerSlot(WorkloadEnv env, int slot, List<Integer> processes) {
        this.env = env;
        this.slot = slot;
        this.processes = List.copyOf(processes);
        int paddingBytes = env.settings().paddingBytes();
        this.padding = paddingBytes == 0 ? List.of() : List.of(new Header("pad", new byte[paddingBytes]));
        this.producer = newProducer();
    }

    private Producer<String, String> newProducer() {
        incarnation++;
        return new SluiceProducer<>(ClientSettings.producer(env.bootstrap(), "chaos-producer-" + slot + "-"
                + incarnation, env.settings()), Serdes.stringSerializer(), Serdes.stringSerializer());
    }

    /** The processes that share this client. */
    public List<Integer> processes() {
        return processes;
    }

    /**
     * Sends {@code value} as {@code process}, to {@code partition} or, when it is null, to the
     * partition of {@code key}; records the invocation and the completion.
     */
    public void send(int process, Integer partition, String key, String value) {
        QueueSettings settings = env.settings();
        HistoryRecorder history = env.history();
        lock.readLock().lock();
        try {
            history.invoke(process, QueueOps.SEND, QueueOps.send(settings.topic(), partition, key, value));
            try {
                RecordMetadata sent = producer.send(new ProducerRecord<>(settings.topic(), partition, null, key,
                        value, padding)).get(settings.deliveryTimeoutMs() + OUTCOME_GRACE_MS, TimeUnit.MILLISECONDS);
                history.complete(process, OpType.OK, QueueOps.SEND, QueueOps.sendOk(settings.topic(),
                        sent.partition(), key, value, sent.offset()), null);
            } catch (ExecutionException e) {
                Outcome outcome = Outcome.ofSend(e);
                history.complete(process, outcome.type(), QueueOps.SEND, QueueOps.send(settings.topic(), partition,
                        key, value), outcome.error());
            } catch (TimeoutException e) {
                markStuck();
                history.complete(process, OpType.INFO, QueueOps.SEND, QueueOps.send(settings.topic(), partition,
                        key, value), "no outcome " + OUTCOME_GRACE_MS + " ms past delivery.timeout.ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                history.complete(process, OpType.INFO, QueueOps.SEND, QueueOps.send(settings.topic(), partition,
                        key, value), "interrupted while waiting for the outcome");
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private synchronized void markStuck() {
        stuck = true;
    }

    /** Whether a send got no outcome at all in time: the client should be crashed. */
    public synchronized boolean isStuck() {
        return stuck;
    }

    /**
     * Destroys the client without letting it finish anything (queued records fail at once) and
     * starts a fresh one; records a crash for every process of the slot.
     */
    public void crash(String why) {
        lock.writeLock().lock();
        try {
            producer.close(Duration.ZERO);
            processes.forEach(p -> env.recordCrash(p, why));
            producer = newProducer();
            synchronized (this) {
                stuck = false;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            producer.close(Duration.ZERO);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
