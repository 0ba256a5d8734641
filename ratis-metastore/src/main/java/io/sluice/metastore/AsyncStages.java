package io.sluice.metastore;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Keeps {@link CompletableFuture}'s asynchronous stages on pooled threads.
 *
 * <p>A stage added with an {@code *Async} method and no executor runs on the common {@link ForkJoinPool}
 * only when that pool's parallelism is above 1; otherwise the JDK starts a new thread for each such
 * stage. The parallelism defaults to the processor count minus one, so on a 2-processor machine every
 * such stage costs a thread start. Ratis' follower adds one for every AppendEntries request it takes
 * (Ratis 3.3, {@code ServerImplUtils.NavigableIndices.append}): at a few hundred log entries per second,
 * each follower started thousands of threads a minute (docs/benchmarks.md, "Metadata quorum").
 *
 * <p>The JDK reads the setting once, when the common pool is first used, so a process must call
 * {@link #usePooledThreads()} first thing in {@code main}.
 */
public final class AsyncStages {
    /** The system property the common pool's parallelism is read from. */
    public static final String PARALLELISM_PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private AsyncStages() {
    }

    /**
     * Sets the common pool's parallelism to 2 on a machine with at most 2 processors, unless the
     * property is set already (an operator's choice wins). Without effect once the pool has been used.
     */
    public static void usePooledThreads() {
        if (System.getProperty(PARALLELISM_PROPERTY) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(PARALLELISM_PROPERTY, "2");
        }
    }

    /** Whether stages added without an executor run on pooled threads in this JVM. */
    public static boolean pooled() {
        return new CompletableFuture<Void>().defaultExecutor() instanceof ForkJoinPool;
    }
}
