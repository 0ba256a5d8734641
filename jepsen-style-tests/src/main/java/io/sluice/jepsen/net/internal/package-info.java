/**
 * The parts of {@link io.sluice.jepsen.net.NamespaceNetwork}: the names and addresses of a run's
 * objects, the registry that tells a live run's objects from a crashed run's, and the two packet
 * filters (nftables, and blackhole routes when {@code nft} is missing).
 */
package io.sluice.jepsen.net.internal;
