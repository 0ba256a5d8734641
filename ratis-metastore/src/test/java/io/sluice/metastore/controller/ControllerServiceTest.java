package io.sluice.metastore.controller;

import static io.sluice.metastore.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.sluice.common.LoopbackPorts;
import io.sluice.common.SystemClock;
import io.sluice.metastore.MetaStore;
import io.sluice.metastore.MetadataNode;
import io.sluice.metastore.QuorumFixture;
import io.sluice.metastore.QuorumPeer;
import io.sluice.metastore.internal.Endpoints;
import io.sluice.metastore.internal.MetadataStateMachine;
import io.sluice.metastore.internal.NodeIds;
import io.sluice.proto.internal.v1.ControllerServiceGrpc;
import io.sluice.proto.internal.v1.RegisterBrokerRequest;
import io.sluice.proto.internal.v1.RegisterBrokerResponse;
import io.sluice.proto.v1.AddQuorumMemberRequest;
import io.sluice.proto.v1.AddQuorumMemberResponse;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.CreatableTopic;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.QuorumRole;
import io.sluice.proto.v1.RemoveQuorumMemberRequest;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ControllerService over real gRPC on loopback, served by each voter: a broker (a listener node)
 * registers and heartbeats with BrokerLifecycle, creates topics through ControllerClient, adds and
 * removes a quorum member with its Sluice endpoint through the admin calls, keeps doing
 * so after the controller's node is killed, and shuts down in a controlled way; a follower answers
 * NOT_CONTROLLER naming the leader.
 */
class ControllerServiceTest {
    @TempDir
    Path dir;

    private final Map<Integer, Server> servers = new HashMap<>();
    private QuorumFixture quorum;
    private ControllerClient client;
    private BrokerLifecycle lifecycle;

    @AfterEach
    void tearDown() throws Exception {
        if (lifecycle != null) {
            lifecycle.close();
        }
        if (client != null) {
            client.close();
        }
        for (Server s : servers.values()) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (quorum != null) {
            quorum.close();
        }
    }

    private void serve(MetadataNode node, Endpoint endpoint) throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", endpoint.getPort()))
                .addService(node.controllerService()).build().start();
        servers.put(node.nodeId(), server);
    }

    private CreateTopicResult create(String name) throws Exception {
        return client.createTopics(CreateTopicsRequest.newBuilder().addTopics(CreatableTopic.newBuilder()
                .setName(name).setNumPartitions(2).setReplicationFactor(1)).build()).get(120, TimeUnit.SECONDS)
                .getTopics(0);
    }

    /**
     * AddQuorumMember announces the new member's Sluice endpoint in the replicated configuration. Ratis
     * commits the change once the new member caught up, so a bare Ratis server stands in for a node
     * that was started without joining by itself.
     */
    private void addAListenerThroughTheAdminCall(MetaStore broker) throws Exception {
        int[] ports = LoopbackPorts.free(2);
        Endpoint raft = Endpoints.of("127.0.0.1", ports[0]);
        Endpoint sluice = Endpoints.of("127.0.0.1", ports[1]);
        AddQuorumMemberResponse bad = client.addQuorumMember(AddQuorumMemberRequest.newBuilder().setNodeId(11)
                .setRole(QuorumRole.QUORUM_ROLE_LISTENER).setRaftEndpoint(raft).setClientEndpoint(Endpoint
                        .newBuilder().setHost("127.0.0.1")).build()).get(60, TimeUnit.SECONDS);
        assertEquals(ErrorCode.ERROR_CODE_INVALID_QUORUM_CHANGE, bad.getErrorCode(), "a client endpoint needs a port");
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(dir.resolve("bare-11").toFile()));
        GrpcConfigKeys.Server.setHost(properties, raft.getHost());
        GrpcConfigKeys.Server.setPort(properties, raft.getPort());
        try (RaftServer bare = RaftServer.newBuilder().setServerId(NodeIds.peerId(11))
                .setGroup(RaftGroup.valueOf(MetadataNode.GROUP_ID)).setStateMachine(new MetadataStateMachine())
                .setProperties(properties).setOption(RaftStorage.StartupOption.FORMAT).build()) {
            bare.start();
            AddQuorumMemberResponse added = client.addQuorumMember(AddQuorumMemberRequest.newBuilder().setNodeId(11)
                    .setRole(QuorumRole.QUORUM_ROLE_LISTENER).setRaftEndpoint(raft).setClientEndpoint(sluice)
                    .build()).get(60, TimeUnit.SECONDS);
            assertEquals(ErrorCode.ERROR_CODE_NONE, added.getErrorCode(), added.getErrorMessage());
            await(() -> broker.quorumInfo().member(11) != null, 30_000, "the new configuration");
            assertEquals(sluice, broker.quorumInfo().member(11).clientEndpoint());
            assertEquals(ErrorCode.ERROR_CODE_NONE, client.removeQuorumMember(RemoveQuorumMemberRequest.newBuilder()
                    .setNodeId(11).build()).get(60, TimeUnit.SECONDS).getErrorCode());
            await(() -> broker.quorumInfo().member(11) == null, 30_000, "the listener's removal");
        }
        for (MetadataNode voter : quorum.running()) {
            assertNotNull(voter.metaStore().quorumInfo().member(10), "adding and removing a listener keeps the others");
        }
    }

    @Test
    @Timeout(240)
    void brokersFollowTheControllerAcrossALeaderChange() throws Exception {
        quorum = new QuorumFixture(dir, 3, ControllerConfig.defaults().withSessionTimeoutMs(4000));
        quorum.startVoters();
        for (QuorumPeer v : quorum.voters()) {
            serve(quorum.node(v.nodeId()), v.clientEndpoint());
        }
        MetadataNode broker = quorum.startListener(10);
        broker.joined().get(30, TimeUnit.SECONDS);
        // 90 s per call, not the default 30: on a loaded machine the broker may learn of a new
        // controller late after the leader kill below.
        client = new ControllerClient(broker.metaStore(), SystemClock.INSTANCE,
                new ControllerClient.Options(90_000, 5_000, 50, 1_000));
        lifecycle = new BrokerLifecycle(new BrokerLifecycle.Settings(10, Endpoint.newBuilder().setHost("127.0.0.1")
                .setPort(LoopbackPorts.free(1)[0]).build(), "", "", 200, true), client, broker.metaStore());
        lifecycle.start();
        lifecycle.registered().get(60, TimeUnit.SECONDS);
        await(() -> lifecycle.state() == BrokerState.BROKER_STATE_ACTIVE, 30_000, "the broker to be unfenced");

        CreateTopicResult first = create("first");
        assertEquals(ErrorCode.ERROR_CODE_NONE, first.getErrorCode(), first.getErrorMessage());
        assertEquals(2, broker.metaStore().image().topicByName("first").partitionCount());
        addAListenerThroughTheAdminCall(broker.metaStore());

        MetadataNode leader = quorum.awaitLeader();
        QuorumPeer follower = quorum.voters().stream().filter(v -> v.nodeId() != leader.nodeId()).findFirst()
                .orElseThrow();
        ManagedChannel raw = NettyChannelBuilder.forAddress("127.0.0.1", follower.clientEndpoint().getPort())
                .usePlaintext().build();
        try {
            RegisterBrokerResponse notController = ControllerServiceGrpc.newBlockingStub(raw)
                    .registerBroker(RegisterBrokerRequest.newBuilder().setBrokerId(99).build());
            assertEquals(ErrorCode.ERROR_CODE_NOT_CONTROLLER, notController.getErrorCode());
            assertEquals(leader.nodeId(), notController.getControllerId());
        } finally {
            raw.shutdownNow();
        }

        servers.remove(leader.nodeId()).shutdownNow();
        quorum.kill(leader.nodeId());
        MetadataNode next = quorum.awaitLeader();
        assertNotEquals(leader.nodeId(), next.nodeId());
        CreateTopicResult second = create("second");
        // The client retries a create whose outcome it could not learn while the new leader settled
        // (slow on a loaded machine); "already exists" then means its first attempt committed.
        assertTrue(second.getErrorCode() == ErrorCode.ERROR_CODE_NONE
                || second.getErrorCode() == ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS, second.toString());
        await(() -> broker.metaStore().image().topicByName("second") != null, 30_000, "the broker to see it");
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, broker.metaStore().image().broker(10).getState(),
                "the new controller gave the broker a grace period and it kept heartbeating");

        lifecycle.controlledShutdown().get(60, TimeUnit.SECONDS);
        assertEquals(BrokerState.BROKER_STATE_SHUTTING_DOWN, broker.metaStore().readLinearizable()
                .get(30, TimeUnit.SECONDS).broker(10).getState());
    }
}
