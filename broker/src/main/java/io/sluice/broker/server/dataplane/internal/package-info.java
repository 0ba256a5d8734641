/**
 * The data-plane APIs behind the gRPC services: request validation, the one error mapping per API,
 * and the delayed operations ("purgatory") that let acks=all produces and long-polling fetches
 * answer later without holding a thread.
 */
package io.sluice.broker.server.dataplane.internal;
