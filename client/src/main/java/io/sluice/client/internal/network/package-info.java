/**
 * The SDK's network layer: the {@link io.sluice.client.internal.network.Transport} seam (gRPC in
 * production, a fake in tests) and {@link io.sluice.client.internal.network.NetworkClient}, which
 * moves every answer onto its core's thread and enforces request timeouts on the core's clock.
 */
package io.sluice.client.internal.network;
