package io.sluice.metastore.controller.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Joins lists of futures. Stateless. */
public final class Futures {
    private Futures() {
    }

    /** Completes with every value, in order, once all complete. */
    public static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<T> out = new ArrayList<>(futures.size());
            futures.forEach(f -> out.add(f.join()));
            return out;
        });
    }
}
