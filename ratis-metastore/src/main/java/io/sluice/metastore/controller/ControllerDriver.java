package io.sluice.metastore.controller;

import io.sluice.common.Clock;
import io.sluice.metastore.MetaStoreException;
import io.sluice.proto.v1.ErrorCode;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that runs a {@link QuorumController}: it executes queued calls (requests from gRPC
 * threads, activation and deactivation from Raft events) one at a time and polls the controller
 * between them, at least every {@code pollIntervalMs}. The queue is bounded; a call that does not fit
 * fails with NODE_NOT_READY (retriable). Thread-safe; start once, close once.
 */
public final class ControllerDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerDriver.class);
    private static final int MAX_QUEUED = 10_000;

    private final QuorumController controller;
    private final Clock clock;
    private final long pollIntervalMs;
    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean active;

    /** A driver for {@code controller}; {@link #start} starts its thread. */
    public ControllerDriver(QuorumController controller, Clock clock, long pollIntervalMs, String name) {
        this.controller = controller;
        this.clock = clock;
        this.pollIntervalMs = pollIntervalMs;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    /** Whether the controller is active (this node leads the metadata quorum and activated it). */
    public boolean isActive() {
        return active;
    }

    /** Activates the controller on its thread (this node became leader). */
    public void activate() {
        enqueue(() -> {
            controller.activate(clock.monotonicMs());
            active = true;
            LOG.info("controller activated");
        });
    }

    /** Deactivates the controller on its thread (this node stopped leading). */
    public void deactivate() {
        active = false;
        enqueue(() -> {
            if (controller.isActive()) {
                controller.deactivate();
                LOG.info("controller deactivated");
            }
        });
    }

    /** Makes the thread poll soon (a proposal completed). */
    public void wakeup() {
        queue.offer(() -> { });
    }

    /**
     * Runs {@code call} on the controller's thread with the current monotonic time; the result future
     * completes when the call's future does.
     */
    public <T> CompletableFuture<T> call(BiFunction<QuorumController, Long, CompletableFuture<T>> call) {
        CompletableFuture<T> out = new CompletableFuture<>();
        boolean queued = enqueue(() -> {
            try {
                call.apply(controller, clock.monotonicMs()).whenComplete((v, e) -> {
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        if (!queued) {
            out.completeExceptionally(new MetaStoreException(ErrorCode.ERROR_CODE_NODE_NOT_READY,
                    "the controller's queue is full", null));
        }
        return out;
    }

    private boolean enqueue(Runnable r) {
        return running && queue.offer(r);
    }

    private void run() {
        while (running) {
            try {
                Runnable r = queue.poll(pollIntervalMs, TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.run();
                }
                controller.poll(clock.monotonicMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("controller step failed", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        active = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
