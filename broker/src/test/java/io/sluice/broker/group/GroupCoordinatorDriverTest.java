package io.sluice.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.common.SystemClock;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The driver's thread: a write completed on another thread wakes it; a stopped driver refuses. */
class GroupCoordinatorDriverTest {
    @Test
    void aWriteCompletedElsewhereReleasesTheAnswerWithoutWaitingForAPoll() throws Exception {
        InMemoryGroupStore store = new InMemoryGroupStore();
        FakeTopicCatalog catalog = new FakeTopicCatalog();
        catalog.create("orders", 2);
        FakeLocator locator = new FakeLocator();
        locator.becomeCoordinator(1, 0);
        store.defer(true);
        // Polls only every 10 minutes on its own: the answer can only come from the wakeup.
        GroupCoordinatorDriver driver = new GroupCoordinatorDriver(GroupCoordinatorConfig.defaults(),
                new GroupCoordinatorDependencies(store, catalog, new FakeLogEndOffsets(), locator,
                        SystemClock.INSTANCE), 100, 600_000);
        try {
            CompletableFuture<ConsumerGroupHeartbeatResponse> answer = driver.submit((core, nowMs) ->
                    core.handleHeartbeat(CoordinatorHarness.join("a", "orders"), "h", nowMs));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.pendingWrites() == 0) {
                assertTrue(System.nanoTime() < deadline, "the join never reached the store");
                Thread.sleep(5);
            }
            assertFalse(answer.isDone());
            Thread completer = new Thread(store::completeNext);
            completer.start();
            completer.join();
            ConsumerGroupHeartbeatResponse response = answer.get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode());
            assertEquals(1, response.getMemberEpoch());
        } finally {
            driver.close();
        }
        CompletableFuture<Object> refused = driver.submit((core, nowMs) -> CompletableFuture.completedFuture(null));
        ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RejectedExecutionException, e.toString());
    }
}
