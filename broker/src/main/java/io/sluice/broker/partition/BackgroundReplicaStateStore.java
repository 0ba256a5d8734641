package io.sluice.broker.partition;

import io.sluice.broker.replication.TopicIdPartition;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReplicaStateStore} whose {@link #saveLater} writes on a thread of its own, so that the
 * replication core never waits for the periodic high-watermark checkpoint's fsyncs: one took 322 ms
 * on the project's machine, and the core appends replicated data and answers the follower fetches
 * that complete {@code acks=all} requests.
 *
 * <p>Writes happen one at a time, in the order the contents were handed over, and only the newest
 * content waiting is written (an older one still waiting is dropped: the newer one was computed after
 * it). {@link #save} waits until its content is written, after whatever was handed over before it,
 * so a synchronous save (a new leader epoch) is never overwritten by an older checkpoint. A failed
 * {@link #saveLater} write is logged; the next content handed over replaces it, and {@link #close}
 * writes it again if none came. A failed {@link #save} is its caller's to handle. Thread-safe.
 */
public final class BackgroundReplicaStateStore implements ReplicaStateStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundReplicaStateStore.class);
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ReplicaStateStore store;
    private final ExecutorService writer;
    private Map<TopicIdPartition, ReplicaCheckpoint> waiting;
    private CompletableFuture<Void> waitingWritten;
    private boolean waitingIsLater;
    private Map<TopicIdPartition, ReplicaCheckpoint> failed;
    private boolean writing;
    private boolean closed;

    /** Writes to {@code store} on a daemon thread named {@code threadName}. */
    public BackgroundReplicaStateStore(ReplicaStateStore store, String threadName) {
        this.store = store;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Map<TopicIdPartition, ReplicaCheckpoint> load() {
        return store.load();
    }

    @Override
    public void save(Map<TopicIdPartition, ReplicaCheckpoint> checkpoints) {
        try {
            handOver(checkpoints, false).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public void saveLater(Map<TopicIdPartition, ReplicaCheckpoint> checkpoints) {
        handOver(checkpoints, true);
    }

    /** Queues {@code content} as the newest; the future completes once it, or newer content, is written. */
    private synchronized CompletableFuture<Void> handOver(Map<TopicIdPartition, ReplicaCheckpoint> content,
            boolean later) {
        if (closed) {
            throw new IllegalStateException("the replica state store is closed");
        }
        failed = null;
        waiting = Map.copyOf(content);
        waitingIsLater = later;
        if (waitingWritten == null) {
            waitingWritten = new CompletableFuture<>();
        }
        CompletableFuture<Void> written = waitingWritten;
        if (!writing) {
            writing = true;
            writer.execute(this::writeWaiting);
        }
        return written;
    }

    private void writeWaiting() {
        while (true) {
            Map<TopicIdPartition, ReplicaCheckpoint> content;
            CompletableFuture<Void> written;
            boolean later;
            synchronized (this) {
                if (waiting == null) {
                    writing = false;
                    return;
                }
                content = waiting;
                written = waitingWritten;
                later = waitingIsLater;
                waiting = null;
                waitingWritten = null;
            }
            try {
                store.save(content);
                written.complete(null);
            } catch (RuntimeException e) {
                if (later) {
                    // a synchronous save's failure is thrown to its caller instead
                    LOG.error("cannot write the replica state (high watermarks); the next checkpoint or the"
                            + " close writes it again: {}", e.toString());
                }
                synchronized (this) {
                    if (later && waiting == null) {
                        failed = content;
                    }
                }
                written.completeExceptionally(e);
            }
        }
    }

    /**
     * Waits for the writes handed over, retries a failed one once, and stops the thread. Later
     * saves are refused.
     */
    @Override
    public void close() throws InterruptedException {
        Map<TopicIdPartition, ReplicaCheckpoint> retry;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.shutdown();
        if (!writer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LOG.error("the replica state writer did not finish within {} s", CLOSE_WAIT_SECONDS);
            return;
        }
        synchronized (this) {
            retry = failed;
            failed = null;
        }
        if (retry != null) {
            store.save(retry);
        }
    }
}
