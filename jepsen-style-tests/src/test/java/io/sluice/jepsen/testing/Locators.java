package io.sluice.jepsen.testing;

import io.sluice.jepsen.fault.LeaderLocator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Leader locators with a fixed answer about in-sync replicas, for nemesis tests. */
public final class Locators {
    private Locators() {
    }

    /** Knows no leader; answers {@code inSync} for every partition's in-sync replicas. */
    public static LeaderLocator inSync(List<Set<Integer>> inSync) {
        return answering(() -> Optional.of(inSync));
    }

    /** Knows no leader; answers what {@code inSync} holds when asked for in-sync replicas. */
    public static LeaderLocator inSync(Supplier<List<Set<Integer>>> inSync) {
        return answering(() -> Optional.of(inSync.get()));
    }

    /** Knows no leader; fails with {@code failure} when asked for in-sync replicas. */
    public static LeaderLocator failing(Exception failure) {
        return answering(() -> {
            throw failure;
        });
    }

    private interface InSyncAnswer {
        Optional<List<Set<Integer>>> get() throws Exception;
    }

    private static LeaderLocator answering(InSyncAnswer answer) {
        return new LeaderLocator() {
            @Override
            public Set<Integer> currentLeaders() {
                return Set.of();
            }

            @Override
            public Optional<List<Set<Integer>>> inSyncReplicas() throws Exception {
                return answer.get();
            }
        };
    }
}
