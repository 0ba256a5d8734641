package io.sluice.broker.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's validated configuration. Built by {@link NodeConfigParser} from a properties file,
 * command-line flags and {@code --dev} defaults; immutable.
 *
 * @param nodeId        this node's id, unique in the cluster ({@code node.id})
 * @param roles         {@code broker}, {@code controller}, or both ({@code process.roles})
 * @param clientListen  where the Sluice gRPC API listens ({@code listen.address})
 * @param raftListen    where the metadata Raft service listens ({@code raft.listen.address})
 * @param dataDir       root of this node's data: partition logs and metadata ({@code data.dir})
 * @param voters        the metadata quorum's voters ({@code controller.quorum.voters})
 * @param settings      every setting with its effective value, defaults included
 */
public record NodeConfig(int nodeId, Set<Role> roles, HostPort clientListen, HostPort raftListen, Path dataDir,
        List<Voter> voters, Map<String, String> settings) {

    /** A node's roles. */
    public enum Role {
        /** Serves clients and hosts partition replicas. */
        BROKER,
        /** Votes in the metadata quorum. */
        CONTROLLER
    }

    /** A host and port. */
    public record HostPort(String host, int port) {
        public HostPort {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host is empty");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + " is outside 0-65535");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** A voter of the metadata quorum: {@code id@host:port} of its Raft service. */
    public record Voter(int nodeId, HostPort raftAddress) {
        @Override
        public String toString() {
            return nodeId + "@" + raftAddress;
        }
    }

    public NodeConfig {
        roles = Set.copyOf(roles);
        voters = List.copyOf(voters);
        settings = Map.copyOf(settings);
    }

    public boolean isBroker() {
        return roles.contains(Role.BROKER);
    }

    public boolean isController() {
        return roles.contains(Role.CONTROLLER);
    }

    /** An integer setting. */
    public int intSetting(String key) {
        return Integer.parseInt(settings.get(key));
    }

    /** A long setting. */
    public long longSetting(String key) {
        return Long.parseLong(settings.get(key));
    }
}
