package io.sluice.jepsen.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The properties file of a chaos node: identity, addresses, the quorum, and settings chosen for
 * fault injection (replication 3 where there are 3 nodes, {@code min.insync.replicas} 2, and the
 * node's own failure-detection defaults written out so a run's folder records them). Overrides
 * ({@code --override key=value}) replace or add keys; the node itself refuses unknown ones.
 * Stateless.
 */
public final class NodeSettings {
    private NodeSettings() {
    }

    /** The settings of {@code node} in a cluster of {@code all}, overrides applied last. */
    public static Map<String, String> of(ClusterNode node, List<ClusterNode> all, Map<String, String> overrides) {
        int replication = Math.min(3, all.size());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.id", Integer.toString(node.id()));
        settings.put("process.roles", "broker,controller");
        settings.put("listen.address", node.clientAddress());
        settings.put("raft.listen.address", node.raftAddress());
        settings.put("advertised.host", node.host());
        settings.put("data.dir", node.dataDir().toString());
        settings.put("controller.quorum.voters",
                all.stream().map(n -> n.id() + "@" + n.raftAddress()).collect(Collectors.joining(",")));
        settings.put("default.replication.factor", Integer.toString(replication));
        settings.put("min.insync.replicas", Integer.toString(Math.max(1, replication - 1)));
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.put("broker.session.timeout.ms", "3000");
        settings.put("raft.election.timeout.min.ms", "1000");
        settings.put("raft.election.timeout.max.ms", "2000");
        settings.put("replica.lag.time.max.ms", "10000");
        settings.put("group.session.timeout.ms", "10000");
        settings.put("group.heartbeat.interval.ms", "1000");
        settings.putAll(overrides);
        return settings;
    }

    /** The settings as a properties file's text (values are plain: addresses, numbers, paths). */
    public static String toProperties(Map<String, String> settings) {
        StringBuilder text = new StringBuilder("# Written by 'sluice chaos'; the node reads it at every start.\n");
        settings.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\"))
                .append('\n'));
        return text.toString();
    }
}
