package io.sluice.broker.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.broker.replication.TopicIdPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackgroundReplicaStateStoreTest {
    private static final TopicIdPartition P0 = new TopicIdPartition("aaaaaaaa-0000-4000-8000-000000000000", 0);
    private static final Map<TopicIdPartition, ReplicaCheckpoint> A = Map.of(P0, new ReplicaCheckpoint(1, 10));
    private static final Map<TopicIdPartition, ReplicaCheckpoint> B = Map.of(P0, new ReplicaCheckpoint(1, 20));
    private static final Map<TopicIdPartition, ReplicaCheckpoint> C = Map.of(P0, new ReplicaCheckpoint(2, 30));

    @TempDir
    Path dir;

    /** A store whose every save waits for a permit, records what it wrote, and can be told to fail. */
    private static final class GatedStore implements ReplicaStateStore {
        final List<Map<TopicIdPartition, ReplicaCheckpoint>> written = Collections.synchronizedList(new ArrayList<>());
        final Semaphore permits = new Semaphore(0);
        final Semaphore entered = new Semaphore(0);
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public Map<TopicIdPartition, ReplicaCheckpoint> load() {
            return Map.of();
        }

        @Override
        public void save(Map<TopicIdPartition, ReplicaCheckpoint> checkpoints) {
            entered.release();
            try {
                if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let this save through");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new UncheckedIOException(new IOException("disk full"));
            }
            written.add(checkpoints);
        }
    }

    /** A background store over {@code store} whose writer is inside the save of {@link #A}, held there. */
    private static BackgroundReplicaStateStore writingA(GatedStore store) throws InterruptedException {
        BackgroundReplicaStateStore background = new BackgroundReplicaStateStore(store, "test-writer");
        background.saveLater(A);
        store.entered.acquire();
        return background;
    }

    @Test
    void saveLaterReturnsAtOnceAndOnlyTheNewestWaitingContentIsWritten() throws Exception {
        GatedStore store = new GatedStore();
        BackgroundReplicaStateStore background = writingA(store);
        background.saveLater(B);
        background.saveLater(C);
        store.permits.release(2);
        background.close();
        assertEquals(List.of(A, C), store.written, "B waited behind A's write and C replaced it");
    }

    @Test
    void aSynchronousSaveWaitsForEarlierWritesAndIsWrittenLast() throws Exception {
        GatedStore store = new GatedStore();
        BackgroundReplicaStateStore background = writingA(store);
        CompletableFuture<Void> epochSave = CompletableFuture.runAsync(() -> background.save(C));
        assertFalse(epochSave.isDone(), "A is still being written");
        store.permits.release(2);
        epochSave.get();
        assertEquals(List.of(A, C), store.written, "an older checkpoint never lands after the synchronous save");
        background.close();
    }

    @Test
    void aFailedSynchronousSaveIsThrownToItsCaller() throws Exception {
        GatedStore store = new GatedStore();
        store.failures.set(1);
        store.permits.release(1);
        BackgroundReplicaStateStore background = new BackgroundReplicaStateStore(store, "test-writer");
        assertThrows(UncheckedIOException.class, () -> background.save(A));
        background.close();
        assertEquals(List.of(), store.written, "a failed synchronous save is its caller's to handle, not retried");
    }

    @Test
    void aFailedBackgroundWriteIsWrittenAgainOnClose() throws Exception {
        GatedStore store = new GatedStore();
        store.failures.set(1);
        store.permits.release(2);
        BackgroundReplicaStateStore background = new BackgroundReplicaStateStore(store, "test-writer");
        background.saveLater(A);
        background.close();
        assertEquals(List.of(A), store.written);
        assertThrows(IllegalStateException.class, () -> background.saveLater(B), "closed");
    }

    @Test
    void onARealFileTheLastContentHandedOverIsWhatLoads() throws Exception {
        Path file = dir.resolve("replica-state");
        BackgroundReplicaStateStore background = new BackgroundReplicaStateStore(new FileReplicaStateStore(file),
                "test-writer");
        for (int hw = 1; hw <= 200; hw++) {
            background.saveLater(Map.of(P0, new ReplicaCheckpoint(1, hw)));
        }
        background.save(C);
        background.saveLater(Map.of(P0, new ReplicaCheckpoint(2, 31)));
        background.close();
        assertEquals(Map.of(P0, new ReplicaCheckpoint(2, 31)), new FileReplicaStateStore(file).load());
    }
}
