package io.sluice.broker.server;

import io.sluice.broker.group.GroupCoordinatorConfig;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.log.StorageConfig;
import io.sluice.broker.partition.ReplicationConfig;
import io.sluice.broker.server.dataplane.DataPlaneConfig;
import io.sluice.metastore.MetadataNodeConfig;
import io.sluice.metastore.QuorumPeer;
import io.sluice.metastore.TopicConfigs;
import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.QuorumRole;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link NodeConfig} into the settings of each part of the node: one place that knows which
 * node setting feeds which component. Stateless.
 */
final class NodeSettings {
    private NodeSettings() {
    }

    static MetadataNodeConfig metadataNodeConfig(NodeConfig config, Endpoint client) {
        List<QuorumPeer> voters = config.voters().stream()
                .map(v -> new QuorumPeer(v.nodeId(), endpoint(v.raftAddress()),
                        v.nodeId() == config.nodeId() ? client : null))
                .toList();
        ControllerConfig controller = new ControllerConfig(config.longSetting("broker.session.timeout.ms"),
                config.longSetting("broker.probe.after.ms"), config.intSetting("num.partitions"),
                config.intSetting("default.replication.factor"), 1000, 1000, clusterTopicDefaults(config),
                leaderRebalanceIntervalMs(config));
        return MetadataNodeConfig.builder()
                .nodeId(config.nodeId())
                .role(config.isController() ? QuorumRole.QUORUM_ROLE_VOTER : QuorumRole.QUORUM_ROLE_LISTENER)
                .raftEndpoint(endpoint(config.raftListen()))
                .clientEndpoint(client)
                .voters(voters)
                .dataDir(config.dataDir())
                .electionTimeoutMs(config.longSetting("raft.election.timeout.min.ms"),
                        config.longSetting("raft.election.timeout.max.ms"))
                .snapshotThreshold(config.longSetting("metadata.snapshot.threshold"))
                .join(!config.isController())
                .controller(controller)
                .build();
    }

    /** How often the controller gives leadership back to preferred replicas; 0 if it never does. */
    static long leaderRebalanceIntervalMs(NodeConfig config) {
        return Boolean.parseBoolean(config.settings().get("auto.leader.rebalance.enable"))
                ? 1000L * config.intSetting("leader.imbalance.check.interval.seconds") : 0;
    }

    /** The topic defaults the node's configuration sets for the whole cluster. */
    static Map<String, String> clusterTopicDefaults(NodeConfig config) {
        return Map.of(TopicConfigs.MIN_INSYNC_REPLICAS, config.settings().get("min.insync.replicas"));
    }

    static StorageConfig storageConfig(NodeConfig config, Path logsDir) {
        StorageConfig defaults = StorageConfig.defaults(logsDir);
        return new StorageConfig(logsDir, LogConfig.DEFAULT, config.longSetting("storage.min.free.bytes"),
                defaults.maintenanceIntervalMs(), defaults.checkpointIntervalMs(), defaults.idleUnmapMs(),
                defaults.ioThreads());
    }

    static DataPlaneConfig dataPlaneConfig(NodeConfig config) {
        ReplicationConfig replication = ReplicationConfig.DEFAULT
                .withReplicaLagTimeMaxMs(config.longSetting("replica.lag.time.max.ms"));
        return DataPlaneConfig.DEFAULT.withReplication(replication)
                .withMaxPartitionsPerRequest(config.intSetting("max.partitions.per.request"));
    }

    static RpcServer.Limits rpcLimits(NodeConfig config) {
        int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        return new RpcServer.Limits(config.intSetting("max.request.bytes"), threads, 4096, 1000);
    }

    static GroupCoordinatorConfig groupCoordinatorConfig(NodeConfig config) {
        return GroupCoordinatorConfig.defaults().withTimeouts(config.intSetting("group.session.timeout.ms"),
                config.intSetting("group.heartbeat.interval.ms"), config.intSetting("group.rebalance.timeout.ms"));
    }

    static long controlledShutdownTimeoutMs(NodeConfig config) {
        return Math.max(5_000, 3 * config.longSetting("broker.session.timeout.ms"));
    }

    private static Endpoint endpoint(NodeConfig.HostPort address) {
        return Endpoint.newBuilder().setHost(address.host()).setPort(address.port()).build();
    }
}
