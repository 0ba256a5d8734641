package io.sluice.metastore.internal;

import io.sluice.proto.internal.v1.CommandBatch;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit for the metadata store: commands submitted concurrently are coalesced into one Raft
 * log entry (a {@link CommandBatch}), so that one Raft round trip, one fsync per replica and one
 * apply carry many of them.
 *
 * <p>Commands wait in a FIFO queue. When no entry is outstanding, the queue's head is sent at once: a
 * lone command goes as itself (no batch wrapper, so an idle store adds no delay and writes the same log
 * entries as without batching); several waiting commands go as one batch of at most
 * {@code maxBatchBytes} serialized bytes. There is no linger timer: a batch grows by itself while the
 * previous entry is in flight, which is when waiting costs nothing. A second (up to
 * {@code maxInFlight}-th) entry is pipelined behind outstanding ones only once a full batch is
 * waiting: the cost of a Raft entry (a client round trip, an append, replication, an fsync per
 * replica, a reply) is mostly per entry, so on a CPU-bound machine fewer, larger entries carry more
 * commands per second than many small ones in flight together. Commands that
 * may not be batched ({@link MetadataApplier#batchable}) and commands larger than the byte limit go
 * alone. Entries are handed to the sender in queue order, by one thread at a time, so commands apply
 * in submission order (the Ratis client keeps the order of the requests it is given). A command whose
 * future is already done when its turn comes (its caller timed out) is dropped.
 *
 * <p>Each command's future completes with its own {@link MetaResult} taken from the entry's
 * {@code BatchResults}; when the entry fails (quorum unavailable, outcome unknown) every command of it
 * gets that failure. At most {@code maxQueued} commands wait; beyond that a submit is answered
 * QUORUM_UNAVAILABLE at once, without being proposed. Thread-safe; completions may run on any thread.
 */
public final class CommandBatcher {
    /** Sends one log entry; completes with its result, never exceptionally. */
    @FunctionalInterface
    public interface Sender {
        /** Proposes {@code entry} and completes with the MetaResult it applied with, or an error result. */
        CompletableFuture<MetaResult> send(MetaCommand entry);
    }

    /** Limits of a batcher. */
    public record Limits(int maxInFlight, int maxBatchBytes, int maxQueued) {
        public Limits {
            if (maxInFlight < 1 || maxBatchBytes < 0 || maxQueued < 1) {
                throw new IllegalArgumentException("invalid batcher limits");
            }
        }
    }

    private record Pending(MetaCommand command, int bytes, CompletableFuture<MetaResult> future) {
    }

    /** What a command adds to a batch besides its own bytes (field tag and length), rounded up. */
    private static final int ENTRY_OVERHEAD_BYTES = 8;

    private final Sender sender;
    private final Limits limits;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long queuedBytes;
    private int inFlight;
    private boolean draining;
    private boolean closed;
    private long entriesSent;
    private long commandsSent;

    /** A batcher proposing through {@code sender}. */
    public CommandBatcher(Sender sender, Limits limits) {
        this.sender = sender;
        this.limits = limits;
    }

    /** Queues {@code command}; the future completes with its result (never exceptionally). */
    public CompletableFuture<MetaResult> submit(MetaCommand command) {
        CompletableFuture<MetaResult> future = new CompletableFuture<>();
        String refused = null;
        synchronized (this) {
            if (closed) {
                refused = "the metadata store is closed";
            } else if (queue.size() >= limits.maxQueued()) {
                refused = limits.maxQueued() + " commands are already waiting for the metadata quorum; not proposed";
            } else {
                Pending p = new Pending(command, command.getSerializedSize() + ENTRY_OVERHEAD_BYTES, future);
                queue.add(p);
                queuedBytes += p.bytes();
            }
        }
        if (refused != null) {
            future.complete(Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, refused));
            return future;
        }
        maybeSend();
        return future;
    }

    /** Entries sent and commands they carried so far (for metrics and benchmarks). */
    public synchronized long[] sentCounts() {
        return new long[] {entriesSent, commandsSent};
    }

    /**
     * Sends entries while the in-flight limit allows. Only one thread drains at a time (the flag), so
     * entries reach the sender in queue order; a thread finding another one draining leaves its work
     * to it, and the drainer re-checks the queue under the lock before it stops.
     */
    private void maybeSend() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            List<Pending> batch;
            synchronized (this) {
                boolean mayPipeline = inFlight < limits.maxInFlight() && queuedBytes >= limits.maxBatchBytes();
                batch = inFlight == 0 || mayPipeline ? takeBatch() : List.of();
                if (batch.isEmpty()) {
                    draining = false;
                    return;
                }
                inFlight++;
                entriesSent++;
                commandsSent += batch.size();
            }
            dispatch(batch);
        }
    }

    /** The next entry's commands, in queue order; empty if nothing is waiting. Holds the lock. */
    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty()) {
            Pending head = queue.peek();
            if (head.future().isDone()) {
                queuedBytes -= queue.poll().bytes();
                continue;
            }
            boolean alone = !MetadataApplier.batchable(head.command()) || head.bytes() > limits.maxBatchBytes();
            if (!batch.isEmpty() && (alone || bytes + head.bytes() > limits.maxBatchBytes())) {
                break;
            }
            batch.add(queue.poll());
            queuedBytes -= head.bytes();
            bytes += head.bytes();
            if (alone) {
                break;
            }
        }
        return batch;
    }

    private void dispatch(List<Pending> batch) {
        CompletableFuture<MetaResult> sent;
        try {
            sent = sender.send(entry(batch));
        } catch (RuntimeException e) {
            sent = CompletableFuture.completedFuture(Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE,
                    "the command could not be sent: " + e));
        }
        sent.whenComplete((result, error) -> {
            MetaResult r = result != null ? result : Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE,
                    "the metadata quorum did not commit the command (outcome unknown): " + error);
            synchronized (this) {
                inFlight--;
            }
            complete(batch, r);
            maybeSend();
        });
    }

    private static MetaCommand entry(List<Pending> batch) {
        if (batch.size() == 1) {
            return batch.get(0).command();
        }
        CommandBatch.Builder b = CommandBatch.newBuilder();
        batch.forEach(p -> b.addCommands(p.command()));
        return MetaCommand.newBuilder().setBatch(b).build();
    }

    /** Hands each command its own result; the entry's failure goes to all of them. */
    private static void complete(List<Pending> batch, MetaResult r) {
        if (batch.size() == 1) {
            batch.get(0).future().complete(r);
            return;
        }
        if (!r.hasBatchResults()) {
            batch.forEach(p -> p.future().complete(r));
            return;
        }
        List<MetaResult> results = r.getBatchResults().getResultsList();
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future().complete(i < results.size() ? results.get(i) : Results.error(
                    ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, "the batch answered " + results.size()
                    + " results for " + batch.size() + " commands"));
        }
    }

    /** Answers every waiting command QUORUM_UNAVAILABLE and refuses later ones. */
    public void close() {
        List<Pending> waiting;
        synchronized (this) {
            closed = true;
            waiting = new ArrayList<>(queue);
            queue.clear();
            queuedBytes = 0;
        }
        MetaResult r = Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE,
                "the metadata store closed before the command was proposed");
        waiting.forEach(p -> p.future().complete(r));
    }
}
