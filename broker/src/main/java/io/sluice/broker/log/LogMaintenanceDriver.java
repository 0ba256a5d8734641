package io.sluice.broker.log;

import io.sluice.common.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that drives a {@link LogManager}: calls {@link LogManager#poll} with the clock's wall
 * time every {@code maintenanceIntervalMs}. Holds no logic of its own, so tests call {@code poll}
 * directly under a manual clock. {@link #close()} stops the thread and waits for a running pass.
 */
public final class LogMaintenanceDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogMaintenanceDriver.class);
    private static final long STOP_WAIT_MS = 30_000;

    private final ScheduledExecutorService executor;

    private LogMaintenanceDriver(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts polling {@code manager} every {@code manager.config().maintenanceIntervalMs()}. */
    public static LogMaintenanceDriver start(LogManager manager, Clock clock) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-log-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        long interval = manager.config().maintenanceIntervalMs();
        executor.scheduleWithFixedDelay(() -> {
            try {
                manager.poll(clock.wallMs());
            } catch (RuntimeException e) {
                LOG.error("log maintenance pass failed", e);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
        return new LogMaintenanceDriver(executor);
    }

    /** Stops the thread, waiting for a pass in progress to finish. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("the log maintenance thread did not stop within {} ms", STOP_WAIT_MS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
