/**
 * Consumer group coordination on the broker (Kafka KIP-848 style, broker-driven and incremental):
 * the single-threaded {@link io.sluice.broker.group.GroupCoordinator} core, its thread
 * ({@link io.sluice.broker.group.GroupCoordinatorDriver}), the gRPC
 * {@link io.sluice.broker.group.GroupGrpcService}, and the interfaces through which it reaches the
 * metadata quorum ({@link io.sluice.broker.group.GroupStore}), topic metadata
 * ({@link io.sluice.broker.group.TopicCatalog}), partition offsets
 * ({@link io.sluice.broker.group.LogEndOffsets}) and the controller's location
 * ({@link io.sluice.broker.group.CoordinatorLocator}). See docs/groups.md.
 */
package io.sluice.broker.group;
