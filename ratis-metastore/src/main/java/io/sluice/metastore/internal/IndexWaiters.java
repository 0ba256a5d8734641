package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Futures waiting for the local image to reach a log index. Completed (outside the lock) by the apply
 * thread when the image advances. Thread-safe.
 */
public final class IndexWaiters {
    private final TreeMap<Long, List<CompletableFuture<MetadataImage>>> waiting = new TreeMap<>();
    private final Supplier<MetadataImage> current;

    /** Waiters on the image {@code current} returns. */
    public IndexWaiters(Supplier<MetadataImage> current) {
        this.current = current;
    }

    /** A future completed once the image index is {@code >= index}. */
    public CompletableFuture<MetadataImage> await(long index) {
        CompletableFuture<MetadataImage> f = new CompletableFuture<>();
        synchronized (this) {
            waiting.computeIfAbsent(index, k -> new ArrayList<>()).add(f);
        }
        advanced();
        return f;
    }

    /** Completes every waiter the current image satisfies. */
    public void advanced() {
        MetadataImage image = current.get();
        List<CompletableFuture<MetadataImage>> ready = new ArrayList<>();
        synchronized (this) {
            Map<Long, List<CompletableFuture<MetadataImage>>> head = waiting.headMap(image.lastAppliedIndex(), true);
            head.values().forEach(ready::addAll);
            head.clear();
        }
        ready.forEach(f -> f.complete(image));
    }

    /** Fails every waiter (the store is closing). */
    public void failAll(RuntimeException cause) {
        List<CompletableFuture<MetadataImage>> all = new ArrayList<>();
        synchronized (this) {
            waiting.values().forEach(all::addAll);
            waiting.clear();
        }
        all.forEach(f -> f.completeExceptionally(cause));
    }
}
