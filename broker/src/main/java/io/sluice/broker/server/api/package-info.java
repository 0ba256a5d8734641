/**
 * The node's control-plane gRPC services: cluster metadata, the admin API (forwarding what the
 * controller decides, answering the rest locally) and producer-id allocation.
 */
package io.sluice.broker.server.api;
