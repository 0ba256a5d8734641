package io.sluice.jepsen.fault;

import io.sluice.jepsen.cluster.ClusterLauncher;
import io.sluice.jepsen.net.Network;
import java.util.function.Consumer;

/**
 * What faults act on.
 *
 * @param cluster the nodes
 * @param network their network
 * @param leaders who leads now, for {@code leaders} targets
 * @param log     progress lines for the run's console and log
 */
public record FaultContext(ClusterLauncher cluster, Network network, LeaderLocator leaders, Consumer<String> log) {
}
