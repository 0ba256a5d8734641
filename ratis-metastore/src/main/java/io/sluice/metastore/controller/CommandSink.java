package io.sluice.metastore.controller;

import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import java.util.concurrent.CompletableFuture;

/**
 * Where the controller proposes commands: the metadata store in production ({@code MetaStore::submit}),
 * an in-memory applier in deterministic tests. The future may complete on any thread.
 */
@FunctionalInterface
public interface CommandSink {
    /** Proposes {@code command}; completes with its result once applied. */
    CompletableFuture<MetaResult> submit(MetaCommand command);
}
