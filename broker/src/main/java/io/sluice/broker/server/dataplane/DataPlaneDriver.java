package io.sluice.broker.server.dataplane;

import io.sluice.broker.partition.MetadataDelta;
import io.sluice.broker.replication.Inbox;
import io.sluice.common.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that runs a {@link DataPlane}'s core: polls it, sleeps until the time it asks for
 * (at most {@code maxIdleMs}) or until work is posted to its inbox (network answers, metadata), and
 * closes it on the same thread when stopped. All the logic is in the core; this only schedules it.
 *
 * <p>Thread-safe: {@link #applyMetadata} and {@link #close} may be called from any thread.
 */
public final class DataPlaneDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlaneDriver.class);
    private static final long MAX_IDLE_MS = 100;

    private final DataPlane dataPlane;
    private final Clock clock;
    private final Inbox inbox;
    private final Thread thread;
    private final Set<CompletableFuture<Void>> pendingMetadata = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    private DataPlaneDriver(DataPlane dataPlane, Clock clock, String threadName) {
        this.dataPlane = dataPlane;
        this.clock = clock;
        this.inbox = dataPlane.replicaManager().inbox();
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts a driver thread named {@code threadName} for {@code dataPlane}. */
    public static DataPlaneDriver start(DataPlane dataPlane, Clock clock, String threadName) {
        DataPlaneDriver driver = new DataPlaneDriver(dataPlane, clock, threadName);
        driver.thread.start();
        return driver;
    }

    /**
     * Hands metadata changes to the core; the future completes once they are applied, or
     * exceptionally if the driver stops first.
     */
    public CompletableFuture<Void> applyMetadata(MetadataDelta delta) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        pendingMetadata.add(applied);
        applied.whenComplete((ignored, error) -> pendingMetadata.remove(applied));
        if (!running) {
            applied.completeExceptionally(new IllegalStateException("the data plane driver is stopped"));
            return applied;
        }
        inbox.post(now -> {
            try {
                dataPlane.applyMetadata(delta);
                applied.complete(null);
            } catch (RuntimeException e) {
                LOG.error("cannot apply metadata changes", e);
                applied.completeExceptionally(e);
            }
        });
        return applied;
    }

    private void run() {
        try {
            while (running) {
                long next;
                try {
                    next = dataPlane.poll(clock.monotonicMs());
                } catch (RuntimeException e) {
                    LOG.error("data plane poll failed", e);
                    next = clock.monotonicMs() + MAX_IDLE_MS;
                }
                long waitMs = Math.min(MAX_IDLE_MS, next - clock.monotonicMs());
                if (waitMs > 0) {
                    inbox.awaitWork(waitMs);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dataPlane.close();
            for (CompletableFuture<Void> unapplied : List.copyOf(pendingMetadata)) {
                unapplied.completeExceptionally(new IllegalStateException("the data plane driver stopped"));
            }
        }
    }

    /**
     * Stops the thread and closes the data plane (on the driver thread), waiting up to 30 s. If the
     * calling thread is interrupted meanwhile, it returns early with the interrupt flag set.
     */
    @Override
    public void close() {
        running = false;
        inbox.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (thread.isAlive()) {
            LOG.warn("the data plane driver did not stop within 30 s");
        }
    }
}
