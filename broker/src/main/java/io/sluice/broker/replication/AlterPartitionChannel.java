package io.sluice.broker.replication;

import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import java.util.concurrent.CompletionStage;

/**
 * Where a partition leader's ISR change proposals go: the active controller's AlterPartition rpc
 * ({@code controller.proto}). The node wiring implements it with the controller client; a
 * simulation with a fake controller.
 *
 * <p>Contract: the returned stage completes once, on any thread, with the controller's answer, or
 * exceptionally when the answer is unknown (transport failure, timeout). Each partition's result
 * carries the partition's state after the change (or the current state with an error such as
 * STALE_PARTITION_EPOCH). Implementations are thread-safe.
 */
@FunctionalInterface
public interface AlterPartitionChannel {
    CompletionStage<AlterPartitionResponse> alterPartition(AlterPartitionRequest request);
}
