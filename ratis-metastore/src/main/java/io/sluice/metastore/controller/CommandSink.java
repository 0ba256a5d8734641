package io.sluice.metastore.controller;

import io.sluice.metastore.MetaStore;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import java.util.concurrent.CompletableFuture;

/**
 * Where the controller proposes commands: the metadata store in production ({@link #of}), an
 * in-memory applier in deterministic tests. The future may complete on any thread.
 */
@FunctionalInterface
public interface CommandSink {
    /** Proposes {@code command}; completes with its result once applied. */
    CompletableFuture<MetaResult> submit(MetaCommand command);

    /**
     * Makes the other nodes learn soon that what was proposed so far is committed. Best effort, any
     * thread; does nothing by default.
     */
    default void spreadCommits() {
    }

    /**
     * A sink over {@code store}. Ratis tells followers of a new commit index only with the next
     * entry or heartbeat (half the minimum election timeout), so after an idle-time commit a broker
     * could learn of a leadership it was given up to that long late. A linearizable read makes the
     * leader confirm its leadership with a heartbeat round that carries the commit index.
     */
    static CommandSink of(MetaStore store) {
        return new CommandSink() {
            @Override
            public CompletableFuture<MetaResult> submit(MetaCommand command) {
                return store.submit(command);
            }

            @Override
            public void spreadCommits() {
                store.readLinearizable();
            }
        };
    }
}
