/**
 * Where the nodes of a chaos run sit on the network, and the network faults: partitions (sets of
 * one-way {@link io.sluice.jepsen.net.Cut}s), packet loss and delay. {@link NamespaceNetwork}
 * gives every node its own Linux network namespace on a bridge the harness makes (root only);
 * {@link LoopbackNetwork} runs every node on 127.0.0.1 and can do no network fault.
 */
package io.sluice.jepsen.net;
