package io.sluice.broker.group.internal;

import io.sluice.broker.group.GroupCoordinatorConfig;
import io.sluice.broker.group.GroupStore;
import io.sluice.broker.group.TopicCatalog;
import io.sluice.common.Clock;
import io.sluice.proto.internal.v1.MetaResult;
import java.util.concurrent.CompletableFuture;

/**
 * What every {@link GroupSlot} shares: settings, the store, topics, the clock (wall time for commit
 * timestamps only; timers use the {@code nowMs} passed in), and the coordinator's write tracking.
 *
 * @param watcher told of every write a slot starts, so that its outcome comes back to the coordinator
 *                thread
 */
public record SlotContext(GroupCoordinatorConfig config, GroupStore store, TopicCatalog catalog, Clock clock,
        HeartbeatProcessor heartbeats, WriteWatcher watcher) {

    /** Receives the writes slots start. */
    public interface WriteWatcher {
        /** A new write id, unique for the coordinator's lifetime. */
        long nextWriteId();

        /** Arranges for {@code GroupSlot#onWriteDone} to run on the coordinator thread once it completes. */
        void watch(String groupId, long writeId, CompletableFuture<MetaResult> write);
    }
}
