/**
 * The broker's data plane as a unit: {@link io.sluice.broker.server.dataplane.DataPlane} (replicas,
 * replication core, produce, fetch, replica fetch, ListOffsets, DeleteRecords), the thread that
 * drives its core ({@link io.sluice.broker.server.dataplane.DataPlaneDriver}), and the gRPC services
 * the node registers on its endpoint. See docs/replication.md.
 */
package io.sluice.broker.server.dataplane;
