package io.sluice.client.internal;

import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.NetworkClient;

/**
 * What a multi-step {@link Operation} needs from the core that runs it.
 *
 * @param network          the core's network client
 * @param metadata         the core's metadata
 * @param coordinators     the core's group-coordinator cache
 * @param backoff          the retry backoff
 * @param requestTimeoutMs timeout of each request
 */
public record OperationContext(NetworkClient network, MetadataManager metadata, Coordinators coordinators,
        Backoff backoff, int requestTimeoutMs) {
}
