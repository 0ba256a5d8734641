package io.sluice.metastore.internal;

import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.QuorumRole;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.util.ProtoUtils;

/**
 * Adds and removes members of the metadata Raft group as a compare-and-set on the whole configuration.
 *
 * <p>The current configuration is read from the group's servers (the known leader first; a node that
 * is joining has none of its own), the next one is computed from it (every voter and listener kept,
 * one added or removed), and Ratis is asked to move from exactly that configuration to the next
 * (COMPARE_AND_SET), so a concurrent change makes the request fail instead of being overwritten; the
 * caller retries. Ratis 3.3.0's ADD mode is not used: adding a listener with it dropped the listeners
 * already in the configuration, which cut earlier brokers off the metadata log. Ratis commits a change
 * that adds a member only once the member has caught up, so the member must be running.
 *
 * <p>Blocking; called on an admin executor. Thread-safe (stateless apart from its suppliers).
 */
final class QuorumMembership {
    /** A configuration: voters and listeners. */
    record Conf(List<RaftPeer> voters, List<RaftPeer> listeners) {
        boolean contains(RaftPeerId id) {
            return voters.stream().anyMatch(p -> p.getId().equals(id))
                    || listeners.stream().anyMatch(p -> p.getId().equals(id));
        }
    }

    private final RaftGroupId groupId;
    private final Supplier<RaftClient> client;
    private final Supplier<Collection<RaftPeer>> servers;

    /**
     * Membership changes of {@code groupId} through {@code client}, reading the configuration from
     * {@code servers} (in the order given: put the known leader first).
     */
    QuorumMembership(RaftGroupId groupId, Supplier<RaftClient> client, Supplier<Collection<RaftPeer>> servers) {
        this.groupId = groupId;
        this.client = client;
        this.servers = servers;
    }

    /** Adds {@code peer} as a voter or listener. */
    MetaResult add(RaftPeer peer, QuorumRole role) throws IOException {
        Conf current = fetch();
        if (current.contains(peer.getId())) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_QUORUM_CHANGE, "node " + NodeIds.nodeId(peer.getId())
                    + " is already a member");
        }
        List<RaftPeer> voters = new ArrayList<>(current.voters());
        List<RaftPeer> listeners = new ArrayList<>(current.listeners());
        (role == QuorumRole.QUORUM_ROLE_VOTER ? voters : listeners).add(peer);
        return compareAndSet(current, new Conf(voters, listeners));
    }

    /** Removes node {@code id}; refuses a non-member and the last voter. */
    MetaResult remove(RaftPeerId id) throws IOException {
        Conf current = fetch();
        if (!current.contains(id)) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_QUORUM_CHANGE, "node " + NodeIds.nodeId(id)
                    + " is not a member");
        }
        List<RaftPeer> voters = new ArrayList<>(current.voters());
        List<RaftPeer> listeners = new ArrayList<>(current.listeners());
        boolean wasVoter = voters.removeIf(p -> p.getId().equals(id));
        listeners.removeIf(p -> p.getId().equals(id));
        if (wasVoter && voters.isEmpty()) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_QUORUM_CHANGE, "node " + NodeIds.nodeId(id)
                    + " is the last voter");
        }
        return compareAndSet(current, new Conf(voters, listeners));
    }

    private MetaResult compareAndSet(Conf current, Conf next) throws IOException {
        RaftClientReply reply = client.get().admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .setServersInCurrentConf(current.voters()).setListenersInCurrentConf(current.listeners())
                .setServersInNewConf(next.voters()).setListenersInNewConf(next.listeners()).build());
        return reply.isSuccess() ? Results.ok() : Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE,
                "configuration change failed (retry): " + reply.getException());
    }

    /** The group's configuration as the first server that answers holds it. */
    private Conf fetch() throws IOException {
        IOException last = null;
        for (RaftPeer server : servers.get()) {
            try {
                GroupInfoReply info = client.get().getGroupManagementApi(server.getId()).info(groupId);
                if (info.isSuccess() && info.getConf().isPresent()) {
                    RaftProtos.RaftConfigurationProto conf = info.getConf().get();
                    if (conf.getOldPeersCount() == 0 && conf.getOldListenersCount() == 0) {
                        return new Conf(ProtoUtils.toRaftPeers(conf.getPeersList()),
                                ProtoUtils.toRaftPeers(conf.getListenersList()));
                    }
                    last = new IOException("a configuration change is in progress");
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no server of the group answered with its configuration");
    }
}
