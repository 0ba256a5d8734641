package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes metadata snapshots on a thread of its own, so that Ratis' apply thread never waits for one.
 *
 * <p>Ratis asks for a snapshot ({@code StateMachine.takeSnapshot}) on its apply thread once the log has
 * grown past the threshold, and applies nothing until that call returns. A snapshot costs a few fsyncs
 * (20-40 ms each on a busy disk) and, with 100,000 partitions, some hundred milliseconds of
 * serialisation; every metadata command waited that long, on every voter at once, since all reach the
 * threshold at the same index. Here {@link #trigger} hands the (immutable) image to the writer thread
 * and returns at once. It answers a snapshot index only once a snapshot at that index is durable, and
 * each index once; until then it answers {@link RaftLogIndexes#INVALID}, and Ratis asks again after its
 * next apply. Ratis purges the log up to an index it is given, so the log is never purged past a
 * snapshot that is not on disk.
 *
 * <p>Writes run one at a time, in the order they were asked for; a write whose image is not newer than
 * the newest durable snapshot is skipped. After a failed write the trigger waits {@link #RETRY_DELAY_NANOS}
 * before it starts another (the log keeps everything meanwhile). Thread-safe.
 */
final class SnapshotWriter implements AutoCloseable {
    /** Where snapshots go. */
    @FunctionalInterface
    interface Target {
        /** Writes {@code image} durably and records it as the latest snapshot. */
        void write(MetadataImage image) throws IOException;
    }

    static final long RETRY_DELAY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

    private final Target target;
    private final LongSupplier nanoTime;
    private final ExecutorService thread;
    private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);
    /** The newest durable snapshot: written here, or made known by {@link #markKnown}. */
    private long durable = RaftLogIndexes.INVALID;
    private long reported = RaftLogIndexes.INVALID;
    private boolean backingOff;
    private long retryAtNanos;

    SnapshotWriter(String name, Target target, LongSupplier nanoTime) {
        this.target = target;
        this.nanoTime = nanoTime;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Ratis' snapshot trigger: returns the newest durable snapshot's index if it was not returned
     * before; otherwise starts writing {@code image} (unless a write is running, the image is not newer
     * than the durable snapshot, or a failed write is being backed off) and returns INVALID.
     */
    synchronized long trigger(MetadataImage image) {
        if (durable > reported) {
            reported = durable;
            return durable;
        }
        if (lastWrite.isDone() && isNewer(image)
                && (!backingOff || nanoTime.getAsLong() - retryAtNanos >= 0)) {
            lastWrite = submit(image);
        }
        return RaftLogIndexes.INVALID;
    }

    /** Records a durable snapshot at {@code index} that Ratis already knows (loaded at start, or installed). */
    synchronized void markKnown(long index) {
        durable = Math.max(durable, index);
        reported = Math.max(reported, index);
    }

    /** The newest durable snapshot's index, or {@link RaftLogIndexes#INVALID}. */
    synchronized long durableIndex() {
        return durable;
    }

    /** Whether {@code image} holds anything the newest durable snapshot does not (index 0 holds nothing). */
    private synchronized boolean isNewer(MetadataImage image) {
        return image.lastAppliedIndex() > Math.max(0, durable);
    }

    /**
     * Writes {@code image} now, after any write already asked for, and returns the newest durable
     * snapshot's index (for operators, tests and the benchmark).
     */
    long writeNow(MetadataImage image) throws IOException {
        CompletableFuture<Void> write;
        synchronized (this) {
            write = submit(image);
            lastWrite = write;
        }
        try {
            write.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing a metadata snapshot", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw cause instanceof IOException io ? io : new IOException("metadata snapshot failed", cause);
        }
        return durableIndex();
    }

    /** Waits until every write asked for so far has ended (before Ratis installs a snapshot). */
    void awaitIdle() {
        try {
            thread.submit(() -> { }).get();
        } catch (RejectedExecutionException e) {
            // closed: nothing runs any more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("an empty task failed", e);
        }
    }

    private CompletableFuture<Void> submit(MetadataImage image) {
        return CompletableFuture.runAsync(() -> write(image), thread);
    }

    private void write(MetadataImage image) {
        if (!isNewer(image)) {
            return;
        }
        try {
            target.write(image);
            synchronized (this) {
                durable = Math.max(durable, image.lastAppliedIndex());
                backingOff = false;
            }
        } catch (IOException e) {
            failed(image, e);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            failed(image, e);
            throw e;
        }
    }

    private synchronized void failed(MetadataImage image, Exception e) {
        LOG.warn("writing the metadata snapshot at index {} failed; retrying in {} s (the log keeps every entry"
                + " meanwhile)", image.lastAppliedIndex(), TimeUnit.NANOSECONDS.toSeconds(RETRY_DELAY_NANOS), e);
        backingOff = true;
        retryAtNanos = nanoTime.getAsLong() + RETRY_DELAY_NANOS;
    }

    /** Lets a running write finish (up to 60 s), then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("a metadata snapshot write did not finish within 60 s of close");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
