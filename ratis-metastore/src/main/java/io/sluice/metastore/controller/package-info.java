/**
 * The controller, active only on the metadata Raft leader (single-threaded core
 * {@link io.sluice.metastore.controller.QuorumController} and its
 * {@link io.sluice.metastore.controller.ControllerDriver}), its gRPC service, and the broker side:
 * {@link io.sluice.metastore.controller.ControllerClient} and
 * {@link io.sluice.metastore.controller.BrokerLifecycle}.
 */
package io.sluice.metastore.controller;
