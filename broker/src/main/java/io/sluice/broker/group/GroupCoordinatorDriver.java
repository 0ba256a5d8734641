package io.sluice.broker.group;

import io.sluice.common.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that runs a {@link GroupCoordinator}: requests are queued (bounded; a full queue refuses
 * with {@link RejectedExecutionException}, which answers COORDINATOR_NOT_AVAILABLE) and run one at a
 * time with the monotonic time of the injected clock; between them it polls the core when the core's
 * next deadline comes, when a store write completes, and at least every {@code maxPollIntervalMs}
 * (which is how it notices leadership and topic changes).
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread. {@link #close} stops the thread,
 * answers queued requests with a rejection, and tells the core to stop (answering NOT_COORDINATOR).
 */
public final class GroupCoordinatorDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorDriver.class);

    private final GroupCoordinator core;
    private final Clock clock;
    private final long maxPollIntervalMs;
    private final BlockingQueue<Task<?>> tasks;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;

    private static final class Task<T> {
        private final BiFunction<GroupCoordinator, Long, CompletableFuture<T>> call;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Task(BiFunction<GroupCoordinator, Long, CompletableFuture<T>> call) {
            this.call = call;
        }

        void run(GroupCoordinator core, long nowMs) {
            try {
                call.apply(core, nowMs).whenComplete((answer, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(answer);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        void reject(String why) {
            result.completeExceptionally(new RejectedExecutionException(why));
        }
    }

    /**
     * Creates the core and starts its thread.
     *
     * @param maxQueuedRequests requests waiting for the thread before new ones are refused
     * @param maxPollIntervalMs longest time between polls (leadership and topic changes are noticed
     *                          within it)
     */
    public GroupCoordinatorDriver(GroupCoordinatorConfig config, GroupCoordinatorDependencies dependencies,
            int maxQueuedRequests, long maxPollIntervalMs) {
        if (maxQueuedRequests < 1 || maxPollIntervalMs < 1) {
            throw new IllegalArgumentException("need maxQueuedRequests >= 1 and maxPollIntervalMs >= 1");
        }
        this.clock = dependencies.clock();
        this.maxPollIntervalMs = maxPollIntervalMs;
        this.tasks = new ArrayBlockingQueue<>(maxQueuedRequests);
        this.core = new GroupCoordinator(config, dependencies, this::wakeup);
        this.thread = new Thread(this::runLoop, "group-coordinator");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Runs {@code call} on the coordinator thread with the current monotonic time. The future fails
     * with {@link RejectedExecutionException} if the queue is full or the driver is closed.
     */
    public <T> CompletableFuture<T> submit(BiFunction<GroupCoordinator, Long, CompletableFuture<T>> call) {
        Task<T> task = new Task<>(call);
        if (!running) {
            task.reject("the group coordinator is stopped");
        } else if (!tasks.offer(task)) {
            task.reject("the group coordinator has " + tasks.size() + " requests waiting");
        }
        return task.result;
    }

    private void wakeup() {
        wakeupPending.set(true);
        // A no-op task unblocks the loop's wait; if the queue is full the loop is busy and sees the flag.
        tasks.offer(new Task<>((core, nowMs) -> CompletableFuture.completedFuture(null)));
    }

    private void runLoop() {
        long nextPollMs = Long.MIN_VALUE;
        while (running) {
            long nowMs = clock.monotonicMs();
            if (nowMs >= nextPollMs || wakeupPending.getAndSet(false)) {
                nextPollMs = pollSafely(nowMs);
                continue;
            }
            Task<?> task;
            try {
                task = tasks.poll(nextPollMs - nowMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (task != null) {
                task.run(core, clock.monotonicMs());
            }
        }
        core.close();
        List<Task<?>> left = new ArrayList<>();
        tasks.drainTo(left);
        left.forEach(t -> t.reject("the group coordinator stopped"));
    }

    private long pollSafely(long nowMs) {
        long next;
        try {
            next = core.poll(nowMs);
        } catch (RuntimeException e) {
            LOG.error("group coordinator poll failed", e);
            next = Long.MAX_VALUE;
        }
        return Math.min(next, nowMs + maxPollIntervalMs);
    }

    /** Stops the thread (waiting up to 10 s); queued requests are refused. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        List<Task<?>> left = new ArrayList<>();
        tasks.drainTo(left);
        left.forEach(t -> t.reject("the group coordinator stopped"));
    }
}
