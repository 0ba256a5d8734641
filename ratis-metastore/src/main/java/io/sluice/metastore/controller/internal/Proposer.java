package io.sluice.metastore.controller.internal;

import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import java.util.concurrent.CompletableFuture;

/**
 * Proposes commands for the controller core; the returned future completes on the core's thread
 * (during its next poll), so continuations may touch core state.
 */
@FunctionalInterface
public interface Proposer {
    /** Proposes {@code command}. */
    CompletableFuture<MetaResult> propose(MetaCommand command);
}
